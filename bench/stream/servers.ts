import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { Server } from 'socket.io';
import { WebSocketServer, WebSocket } from 'ws';
import type { TrackHistoryWriter } from '../../apps/tracker/src/history/track-history.writer.js';
import { LiveHub, streamRoom, type TracksNamespace } from '../../apps/tracker/src/live/live-hub.service.js';
import type { TrackUpdateEvent } from '../../apps/tracker/src/live/track-events.js';
import { STREAM_ID } from './payload.js';

export interface BenchServer {
  url: string;
  publish(event: TrackUpdateEvent): void;
  close(): Promise<void>;
}

function listen(server: HttpServer): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
}

/**
 * The tracker's fan-out: the same LiveHub (broadcast to subscribers that keep up, coalesced
 * outbox for slow ones) on a socket.io /tracks namespace. History is not part of what is
 * measured here, so the hub records into a sink that drops points.
 */
export async function startSocketIoServer(): Promise<BenchServer> {
  const http = createServer();
  const io = new Server(http, { transports: ['websocket'] });
  const nsp = io.of('/tracks') as unknown as TracksNamespace;
  const noHistory = { record: () => undefined } as unknown as TrackHistoryWriter;
  const hub = new LiveHub(noHistory, new Registry());
  hub.attach(nsp);
  nsp.on('connection', (socket) => {
    hub.watch(socket);
    void socket.join(streamRoom(STREAM_ID));
  });
  const url = await listen(http);
  return {
    url,
    publish: (event) => hub.tracks('bench-tenant', event),
    close: () => new Promise((resolve) => void io.close(() => resolve())),
  };
}

/** The baseline: the same JSON to every client of a bare `ws` server, serialised once. */
export async function startWsServer(): Promise<BenchServer> {
  const http = createServer();
  const wss = new WebSocketServer({ server: http });
  const url = await listen(http);
  return {
    url: url.replace('http', 'ws'),
    publish(event) {
      const data = JSON.stringify(event);
      for (const client of wss.clients) if (client.readyState === WebSocket.OPEN) client.send(data);
    },
    close: () =>
      new Promise((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => http.close(() => resolve()));
      }),
  };
}
