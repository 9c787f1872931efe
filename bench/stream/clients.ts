import process from 'node:process';
import { io, type Socket } from 'socket.io-client';
import { WebSocket } from 'ws';
import type { ClientPlan, FromClients, ToClients } from './payload.js';

/**
 * The subscribers, in a process of their own so their parsing does not run on the server's
 * thread. Each records detection → receipt latency (same machine, same clock).
 */
const plan = JSON.parse(process.argv[2] ?? '{}') as ClientPlan;
let received = 0;
const latencies: number[] = [];
const sockets: (Socket | WebSocket)[] = [];

function onUpdate(detectedAt: number): void {
  received++;
  latencies.push(Date.now() - detectedAt);
}

function send(message: FromClients): void {
  process.send?.(message);
}

async function connectOne(index: number): Promise<void> {
  const stall = index < plan.stalled;
  if (plan.mode === 'ws') {
    const ws = new WebSocket(plan.url);
    sockets.push(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    ws.on('message', (data: Buffer) =>
      onUpdate((JSON.parse(data.toString()) as { detectedAt: number }).detectedAt),
    );
    return;
  }
  const socket = io(`${plan.url}/tracks`, { transports: ['websocket'], forceNew: true, reconnection: false });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  if (stall) {
    // Stop reading the TCP socket: the server's writes back up, as with a client that hangs.
    const transport = socket.io.engine.transport as unknown as { ws?: { _socket?: { pause(): void } } };
    transport.ws?._socket?.pause();
    return;
  }
  socket.on('track.update', (u: { detectedAt: number }) => onUpdate(u.detectedAt));
}

async function main(): Promise<void> {
  // Connect in small groups so the server's accept queue is not flooded.
  for (let i = 0; i < plan.count; i += 50) {
    await Promise.all(Array.from({ length: Math.min(50, plan.count - i) }, (_, j) => connectOne(i + j)));
  }
  send({ kind: 'ready', connected: sockets.length });
}

process.on('message', (message: ToClients) => {
  if (message.kind === 'report') {
    send({ kind: 'report', received, latencies });
    received = 0;
    latencies.length = 0;
  } else {
    for (const s of sockets) {
      if (s instanceof WebSocket) s.terminate();
      else s.close();
    }
    process.exit(0);
  }
});

main().catch((error: unknown) => {
  process.stderr.write(`clients failed: ${String(error)}\n`);
  process.exit(1);
});
