import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { NextFunction, Request, Response } from 'express';

export const CONSOLE_BASE = '/console';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export interface ConsoleFilesOptions {
  /** The Vite build (dist/console); null when it has not been built. */
  root: string | null;
  /** The tracker origin the browser should use for a request that arrived with this Host. */
  trackerUrlFor: (host: string | undefined, protocol: string) => string;
}

/**
 * Serves the console's production build under /console/: files by path, index.html for
 * every other path (client-side routes), `config.json` with the tracker's URL. Hashed assets
 * are cached for good; index.html and config.json are revalidated every time.
 */
export function consoleFiles({ root, trackerUrlFor }: ConsoleFilesOptions) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      next();
      return;
    }
    const path = decodedPath(req.originalUrl);
    if (path === null || (path !== CONSOLE_BASE && !path.startsWith(`${CONSOLE_BASE}/`))) {
      next();
      return;
    }
    const trackerUrl = trackerUrlFor(req.headers.host, req.protocol);
    if (path === `${CONSOLE_BASE}/config.json`) {
      res.setHeader('cache-control', 'no-cache');
      res.json({ trackerUrl });
      return;
    }
    if (root === null) {
      res.status(404).json({
        statusCode: 404,
        error: 'not_found',
        message: 'the console is not built in this deployment (npm run build builds it into dist/console)',
      });
      return;
    }
    const relative = path.slice(CONSOLE_BASE.length).replace(/^\/+/, '');
    const file = relative === '' ? null : safeJoin(root, relative);
    if (file !== null && isFile(file)) {
      send(
        res,
        file,
        relative.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        trackerUrl,
      );
      return;
    }
    // A missing asset is a 404; any other path is a client route of the single-page app.
    if (relative.startsWith('assets/') || extname(relative) !== '') {
      res.status(404).json({ statusCode: 404, error: 'not_found', message: `no console file ${relative}` });
      return;
    }
    send(res, join(root, 'index.html'), 'no-cache', trackerUrl);
  };
}

/** The console's own policy in place of the API's: scripts from here, sockets to the tracker. */
export function contentSecurityPolicy(trackerUrl: string): string {
  const tracker = new URL(trackerUrl);
  const socket = `${tracker.protocol === 'https:' ? 'wss:' : 'ws:'}//${tracker.host}`;
  return [
    "default-src 'self'",
    "script-src 'self'",
    // Inline style attributes carry computed widths (meters, timelines).
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    `connect-src 'self' ${tracker.origin} ${socket}`,
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'self'",
    "form-action 'self'",
  ].join('; ');
}

function send(res: Response, file: string, cacheControl: string, trackerUrl: string): void {
  res.setHeader('content-type', CONTENT_TYPES[extname(file)] ?? 'application/octet-stream');
  res.setHeader('cache-control', cacheControl);
  if (file.endsWith('.html')) res.setHeader('content-security-policy', contentSecurityPolicy(trackerUrl));
  res.setHeader('content-length', String(statSync(file).size));
  if (res.req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file).pipe(res);
}

function decodedPath(url: string): string | null {
  try {
    return decodeURIComponent(new URL(url, 'http://console.local').pathname);
  } catch {
    return null;
  }
}

/** `relative` inside `root`, or null when it would escape it. */
function safeJoin(root: string, relative: string): string | null {
  const full = resolve(root, normalize(relative));
  return full.startsWith(`${resolve(root)}${sep}`) ? full : null;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The build next to the compiled gateway (dist/console), if there is one. */
export function findConsoleBuild(candidates: readonly string[]): string | null {
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? null;
}

/** The tracker as the browser reaches it: configured, or this host on the tracker's port. */
export function trackerUrlFrom(configured: string | undefined, trackerPort: number) {
  return (host: string | undefined, protocol: string): string => {
    if (configured) return configured.replace(/\/$/, '');
    let hostname = '127.0.0.1';
    try {
      if (host) hostname = new URL(`http://${host}`).hostname;
    } catch {
      // A malformed Host header: fall back to loopback rather than echo it.
    }
    return `${protocol === 'https' ? 'https' : 'http'}://${hostname}:${trackerPort}`;
  };
}
