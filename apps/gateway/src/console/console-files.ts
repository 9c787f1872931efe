import { existsSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import type { NextFunction, Request, Response } from 'express';
import serveStatic from 'serve-static';

export const CONSOLE_BASE = '/console';

/** Hashed assets never change under their name; everything else is revalidated every time. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

export interface ConsoleFilesOptions {
  /** The Vite build (dist/console); null when it has not been built. */
  root: string | null;
  /** The tracker origin the browser should use for a request that arrived with this Host. */
  trackerUrlFor: (host: string | undefined, protocol: string) => string;
}

/**
 * Serves the console's production build under /console/: files by path (serve-static: content
 * types, ETag and Last-Modified, ranges, HEAD, paths that would leave the build refused),
 * index.html for every other path (client-side routes), `config.json` with the tracker's URL.
 * Hashed assets are cached for good; index.html and config.json are revalidated every time.
 */
export function consoleFiles({ root, trackerUrlFor }: ConsoleFilesOptions) {
  const trackerUrlOf = (req: Request) => trackerUrlFor(req.headers.host, req.protocol);
  const files =
    root === null
      ? null
      : serveStatic(root, {
          index: false,
          redirect: false,
          cacheControl: false,
          setHeaders(res: ServerResponse, path: string) {
            const inAssets = path.startsWith(join(root, 'assets'));
            res.setHeader('cache-control', inAssets ? IMMUTABLE : 'no-cache');
            const req = (res as Response).req;
            if (path.endsWith('.html'))
              res.setHeader('content-security-policy', contentSecurityPolicy(trackerUrlOf(req)));
          },
        });
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
    if (path === `${CONSOLE_BASE}/config.json`) {
      res.setHeader('cache-control', 'no-cache');
      res.json({ trackerUrl: trackerUrlOf(req) });
      return;
    }
    if (files === null) {
      res.status(404).json({
        statusCode: 404,
        error: 'not_found',
        message: 'the console is not built in this deployment (npm run build builds it into dist/console)',
      });
      return;
    }
    const relative = path.slice(CONSOLE_BASE.length).replace(/^\/+/, '');
    const url = req.url;
    const serve = (file: string, otherwise: () => void) => {
      req.url = `/${file.split('/').map(encodeURIComponent).join('/')}`;
      void files(req, res, (error?: unknown) => {
        req.url = url;
        if (error !== undefined && error !== null) next(error);
        else otherwise();
      });
    };
    const app = () => serve('index.html', () => next());
    if (relative === '') {
      app();
      return;
    }
    serve(relative, () => {
      // A missing asset is a 404; any other path is a client route of the single-page app.
      if (relative.startsWith('assets/') || extname(relative) !== '') {
        res.status(404).json({ statusCode: 404, error: 'not_found', message: `no console file ${relative}` });
        return;
      }
      app();
    });
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

function decodedPath(url: string): string | null {
  try {
    return decodeURIComponent(new URL(url, 'http://console.local').pathname);
  } catch {
    return null;
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
