import type { Server } from 'node:http';
import { describe, expect, it } from '@jest/globals';
import type { Express, Request, Response } from 'express';
import request from 'supertest';
import { PrototypedExpressAdapter } from './prototyped-express-adapter.js';

interface Seen {
  requestPrototypeIsExpress: boolean;
  responsePrototypeIsExpress: boolean;
}

/** An adapter's server with one Express route that reports what it was given. */
function serve(options: Parameters<PrototypedExpressAdapter['initHttpServer']>[0]) {
  const adapter = new PrototypedExpressAdapter();
  const app = adapter.getInstance<Express>();
  const seen: Seen[] = [];
  app.get('/echo', (req: Request, res: Response) => {
    res.status(201).json({ header: req.get('x-probe'), query: req.query.q, ip: typeof req.ip });
  });
  adapter.initHttpServer(options);
  // The objects as the server made them, before Express's handler sees them.
  (adapter.getHttpServer() as Server).prependListener('request', (req, res) => {
    seen.push({
      requestPrototypeIsExpress: Object.getPrototypeOf(req) === app.request,
      responsePrototypeIsExpress: Object.getPrototypeOf(res) === app.response,
    });
  });
  return { server: adapter.getHttpServer() as Server, seen };
}

describe('PrototypedExpressAdapter', () => {
  it('builds requests and responses that already have Express prototypes, and Express works on them', async () => {
    const { server, seen } = serve({});
    const response = await request(server).get('/echo?q=7').set('x-probe', 'yes');
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ header: 'yes', query: '7', ip: 'string' });
    expect(seen).toEqual([{ requestPrototypeIsExpress: true, responsePrototypeIsExpress: true }]);
  });

  it('answers many requests on one keep-alive connection with fresh objects each time', async () => {
    const { server, seen } = serve({});
    const agent = request.agent(server);
    for (let i = 0; i < 5; i += 1) {
      const response = await agent.get(`/echo?q=${i}`);
      expect(response.body.query).toBe(String(i));
    }
    expect(seen.every((s) => s.requestPrototypeIsExpress && s.responsePrototypeIsExpress)).toBe(true);
  });

  it("keeps Nest's own server where the adapter's connection options need it", async () => {
    const { server, seen } = serve({ forceCloseConnections: true });
    const response = await request(server).get('/echo?q=1').set('x-probe', 'plain');
    expect(response.body).toEqual({ header: 'plain', query: '1', ip: 'string' });
    // Node's classes, which Express re-parents itself.
    expect(seen).toEqual([{ requestPrototypeIsExpress: false, responsePrototypeIsExpress: false }]);
  });
});
