import process from 'node:process';
import { WebSocket } from 'ws';
import type { ClientPlan, FromClients, ToClients } from './payload.js';

/**
 * The subscribers, in a process of their own. Each speaks its server's wire protocol over a
 * `ws` connection: the socket.io ones do the engine.io/socket.io handshake (open packet,
 * namespace connect, pong) and receive `42/tracks,["track.update",{...}]` frames; the bare ws
 * ones receive the JSON. Both read frameSeq and detectedAt from the frame's text without a
 * full JSON decode, so on a 2-core machine the bench measures the server's fan-out rather than
 * a thousand JSON.parse calls per frame-set in this process (real subscribers do that on their
 * own machines).
 */
const plan = JSON.parse(process.argv[2] ?? '{}') as ClientPlan;
/** frameSeq and latency of every update received, appended pairwise. */
let samples: number[] = [];
const sockets: WebSocket[] = [];

function numberAfter(text: string, key: string): number {
  const at = text.indexOf(key);
  if (at < 0) return Number.NaN;
  let end = at + key.length;
  while (end < text.length && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) end++;
  return Number(text.slice(at + key.length, end));
}

function onFrame(text: string): void {
  const detectedAt = numberAfter(text, '"detectedAt":');
  if (Number.isNaN(detectedAt)) return;
  samples.push(numberAfter(text, '"frameSeq":'), Date.now() - detectedAt);
}

function open(index: number): Promise<void> {
  const stall = index < plan.stalled;
  const socketIo = plan.mode === 'socket.io';
  const url = socketIo ? `${plan.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket` : plan.url;
  const ws = new WebSocket(url);
  sockets.push(ws);
  return new Promise<void>((resolve, reject) => {
    ws.once('error', reject);
    if (!socketIo) {
      ws.once('open', () => {
        if (stall) (ws as unknown as { _socket: { pause(): void } })._socket.pause();
        resolve();
      });
      ws.on('message', (data: Buffer) => onFrame(data.toString()));
      return;
    }
    ws.on('message', (data: Buffer) => {
      const text = data.toString();
      if (text.startsWith('0')) ws.send('40/tracks,');
      else if (text === '2') ws.send('3');
      else if (text.startsWith('40/tracks,')) {
        if (stall) (ws as unknown as { _socket: { pause(): void } })._socket.pause();
        resolve();
      } else if (text.startsWith('42/tracks,["track.update"')) onFrame(text);
    });
  });
}

function send(message: FromClients): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  // Connect in small groups so the server's accept queue is not flooded.
  for (let i = 0; i < plan.count; i += 50) {
    await Promise.all(Array.from({ length: Math.min(50, plan.count - i) }, (_, j) => open(i + j)));
  }
  send({ kind: 'ready', connected: sockets.length });
}

process.on('message', (message: ToClients) => {
  if (message.kind === 'report') {
    const latencies: number[] = [];
    for (let i = 0; i < samples.length; i += 2) {
      const seq = samples[i]!;
      if (seq >= message.fromSeq && seq <= message.toSeq) latencies.push(samples[i + 1]!);
    }
    send({ kind: 'report', received: latencies.length, latencies });
    samples = [];
  } else {
    for (const s of sockets) s.terminate();
    process.exit(0);
  }
});

// The bench went away (killed, crashed): do not linger.
process.on('disconnect', () => process.exit(0));

main().catch((error: unknown) => {
  process.stderr.write(`clients failed: ${String(error)}\n`);
  process.exit(1);
});
