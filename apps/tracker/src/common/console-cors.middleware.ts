import type { NextFunction, Request, Response } from 'express';

const ALLOWED_HEADERS = 'Authorization, Content-Type, X-Request-Id';

/**
 * CORS for the web console, which the gateway serves from the same host on another port
 * (3000 vs 3003). An origin is allowed when its host name is the one this request was sent
 * to; any other origin gets no CORS headers. Calls carry a bearer key, never cookies, so
 * no credentials are allowed. Preflights answer 204 before any guard.
 */
export function consoleCors() {
  return (req: Request, res: Response, next: NextFunction): void => {
    const origin = req.headers.origin;
    if (origin === undefined || !sameHost(origin, req.headers.host)) {
      next();
      return;
    }
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
    res.setHeader('Access-Control-Expose-Headers', 'X-Request-Id');
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PATCH, DELETE');
      res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      res.setHeader('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
}

function sameHost(origin: string, host: string | undefined): boolean {
  if (host === undefined) return false;
  try {
    const from = new URL(origin);
    return (
      (from.protocol === 'http:' || from.protocol === 'https:') &&
      from.hostname === new URL(`http://${host}`).hostname
    );
  } catch {
    return false;
  }
}
