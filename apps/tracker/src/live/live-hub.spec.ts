import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';
import { Server } from 'socket.io';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import type { TrackHistoryWriter } from '../history/track-history.writer.js';
import { LiveHub, streamRoom, type TracksNamespace } from './live-hub.service.js';
import type { TrackMessage, TrackUpdateEvent } from './track-events.js';

/**
 * The hub on a real socket.io server over loopback: a subscriber that stops reading is moved
 * to the coalesced path (bounded by the track count) while another keeps receiving every
 * update; once it reads again it gets the latest state of every track.
 */
const TRACKS = 200;
const recorded: TrackUpdateEvent[] = [];
const history = { record: (_tenant: string, e: TrackUpdateEvent) => void recorded.push(e) };
let server: Server;
let hub: LiveHub;
let url = '';

function update(frameSeq: number): TrackUpdateEvent {
  const tracks: TrackMessage[] = Array.from({ length: TRACKS }, (_, i) => ({
    trackId: i + 1,
    t: frameSeq,
    position: [frameSeq + i / 100, 1.2345, 2.3456],
    velocity: [0.1, 0.2, 0.3],
    covariance: [0.01, 0, 0, 0, 0.01, 0, 0, 0, 0.01],
    confidence: 0.99,
    state: 'confirmed',
  }));
  return { streamId: 's1', frameSeq, t: frameSeq, detectedAt: Date.now(), tracks };
}

beforeAll(async () => {
  const http = createServer();
  server = new Server(http, { transports: ['websocket'] });
  hub = new LiveHub(history as unknown as TrackHistoryWriter, new Registry());
  const nsp = server.of('/tracks') as unknown as TracksNamespace;
  hub.attach(nsp);
  nsp.on('connection', (socket) => {
    hub.watch(socket);
    void socket.join(streamRoom('s1'));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/tracks`;
});

afterAll(async () => {
  server.disconnectSockets(true);
  await new Promise<void>((resolve) => void server.close(() => resolve()));
}, 10_000);

async function client(): Promise<ClientSocket> {
  const socket = connect(url, { transports: ['websocket'], forceNew: true, reconnection: false });
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return socket;
}

describe('LiveHub', () => {
  it('coalesces for a stalled subscriber, keeps serving the others, and catches it up', async () => {
    const fast = await client();
    const slow = await client();
    const fastSeen: number[] = [];
    const slowSeen: TrackUpdateEvent[] = [];
    fast.on('track.update', (u: TrackUpdateEvent) => fastSeen.push(u.frameSeq));
    slow.on('track.update', (u: TrackUpdateEvent) => slowSeen.push(u));
    const tcp = (
      slow.io.engine.transport as unknown as { ws: { _socket: { pause(): void; resume(): void } } }
    ).ws._socket;
    tcp.pause();

    const FRAMES = 600;
    for (let f = 1; f <= FRAMES; f++) {
      hub.tracks('tenant', update(f));
      // Paced like a live producer, so a subscriber that reads keeps up.
      await new Promise((r) => setTimeout(r, 3));
    }
    await new Promise((r) => setTimeout(r, 200));
    const slowState = hub.slowSubscribers();
    expect(slowState.count).toBeGreaterThanOrEqual(1);
    // Bounded: the latest state of each track, however many frame-sets went by.
    expect(slowState.heldEntries).toBeLessThanOrEqual(2 * TRACKS);

    const deadline = Date.now() + 15_000;
    while (fastSeen.at(-1) !== FRAMES && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(fastSeen.at(-1)).toBe(FRAMES);
    expect(recorded).toHaveLength(FRAMES);

    tcp.resume();
    while (slowSeen.at(-1)?.frameSeq !== FRAMES && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const last = slowSeen.at(-1)!;
    expect(last.frameSeq).toBe(FRAMES);
    expect(last.coalesced).toBe(true);
    expect(last.tracks).toHaveLength(TRACKS);
    expect(last.tracks.every((t) => t.t === FRAMES)).toBe(true);
    // Far fewer messages reached the stalled subscriber than the one that kept reading.
    expect(slowSeen.length).toBeLessThan(fastSeen.length / 2);
    fast.close();
    slow.close();
  }, 40_000);
});
