import fc from 'fast-check';
import { io, type Socket } from 'socket.io-client';
import { call } from '../http-client.js';
import { SurfaceTally, type SurfaceResult } from './fuzz-result.js';

function connect(url: string, token: unknown): Socket {
  return io(`${url}/tracks`, {
    transports: ['websocket'],
    auth: { token },
    reconnection: false,
    timeout: 5_000,
  });
}

async function connected(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    socket.once('connect', () => resolve('connected'));
    socket.once('connect_error', (error: Error) => resolve(`connect_error: ${error.message}`));
  });
}

/**
 * Messages to the tracker's `/tracks` namespace: subscribe/unsubscribe/frames with any
 * payload (JSON of every shape, binary images of any length, missing acks), unknown event
 * names, and handshakes with broken tokens. Rules: the tracker stays up, every ack is an
 * object with a boolean `ok`, and a broken token never connects.
 */
export async function fuzzSocket(
  trackerUrl: string,
  tenantKey: string,
  streamId: string,
  alive: () => boolean,
  cases: number,
  seed: number,
): Promise<SurfaceResult> {
  const tally = new SurfaceTally('socket.io');
  const payload = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.record(
      { streamId: fc.oneof(fc.constant(streamId), fc.uuid(), fc.string(), fc.jsonValue({ maxDepth: 1 })) },
      { requiredKeys: [] },
    ),
    fc.record(
      {
        streamId: fc.oneof(fc.constant(streamId), fc.uuid()),
        t: fc.oneof(fc.double(), fc.string(), fc.constant(null)),
        images: fc.oneof(
          fc.array(
            fc.uint8Array({ maxLength: 5000 }).map((a) => Buffer.from(a)),
            { maxLength: 5 },
          ),
          fc.jsonValue({ maxDepth: 2 }),
        ),
      },
      { requiredKeys: [] },
    ),
  );
  const message = fc.record({
    event: fc.oneof(fc.constantFrom('subscribe', 'unsubscribe', 'frames'), fc.string({ maxLength: 12 })),
    payload,
    withAck: fc.boolean(),
  });
  let socket = connect(trackerUrl, tenantKey);
  await connected(socket);
  for (const m of fc.sample(message, { numRuns: cases, seed })) {
    const input = JSON.stringify({ event: m.event, withAck: m.withAck, payload: m.payload }).slice(0, 400);
    if (!socket.connected) {
      socket.close();
      socket = connect(trackerUrl, tenantKey);
      await connected(socket);
    }
    const known = ['subscribe', 'unsubscribe', 'frames'].includes(m.event);
    if (m.withAck && known) {
      try {
        const ack: unknown = await socket.timeout(5_000).emitWithAck(m.event, m.payload);
        tally.count('ack');
        if (typeof ack !== 'object' || ack === null || typeof (ack as { ok?: unknown }).ok !== 'boolean')
          tally.find({
            operation: m.event,
            rule: 'no-5xx',
            detail: `ack without a boolean ok: ${JSON.stringify(ack).slice(0, 120)}`,
            input,
          });
      } catch {
        tally.count('no-ack');
        tally.find({ operation: m.event, rule: 'no-5xx', detail: 'no ack within 5 s', input });
      }
    } else {
      // Unknown events (and sends without an ack) get no answer; the tracker must just stay up.
      socket.emit(m.event, m.payload);
      tally.count(known ? 'sent' : 'unknown-event');
    }
    if (!alive()) {
      tally.find({ operation: m.event, rule: 'no-crash', detail: 'the tracker exited', input });
      break;
    }
  }
  socket.close();
  // Broken handshakes: none may connect.
  const tokens = fc.sample(
    fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.jsonValue({ maxDepth: 1 }),
      fc.constant(`${tenantKey.slice(0, -1)}x`),
      fc.constant(tenantKey.slice(0, 14)),
    ),
    { numRuns: Math.max(5, Math.floor(cases / 10)), seed: seed + 1 },
  );
  for (const token of tokens) {
    const s = connect(trackerUrl, token);
    const outcome = await connected(s);
    s.close();
    tally.count(outcome === 'connected' ? 'connected' : 'connect_error');
    if (outcome === 'connected')
      tally.find({
        operation: 'handshake',
        rule: 'expected-refusal',
        detail: 'a broken token connected',
        input: JSON.stringify(token).slice(0, 100),
      });
  }
  if ((await call('GET', `${trackerUrl}/health/live`)).status !== 200)
    tally.find({
      operation: 'handshake',
      rule: 'no-crash',
      detail: 'tracker not live after the socket fuzz',
      input: '',
    });
  return tally.result;
}
