import { afterEach, describe, expect, it } from '@jest/globals';
import { createSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import pino from 'pino';
import { Registry } from 'prom-client';
import { CotSender } from './cot-sender.service.js';

const silent = pino({ level: 'silent' });

async function counter(registry: Registry, name: string, label: Record<string, string>): Promise<number> {
  const metric = await registry.getSingleMetric(name)!.get();
  return metric.values
    .filter((v) => Object.entries(label).every(([k, value]) => v.labels[k] === value))
    .reduce((sum, v) => sum + v.value, 0);
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A TCP listener on loopback collecting what its clients write. */
async function tcpListener(
  port = 0,
): Promise<{ server: Server; port: number; text: () => string; clients: Socket[] }> {
  let received = '';
  const clients: Socket[] = [];
  const server = createServer((socket) => {
    clients.push(socket);
    socket.on('data', (chunk) => (received += chunk.toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  return {
    server,
    port: typeof address === 'object' && address ? address.port : port,
    text: () => received,
    clients,
  };
}

const closers: (() => void)[] = [];
afterEach(() => {
  while (closers.length > 0) closers.pop()!();
});

describe('CotSender', () => {
  it('sends one UDP datagram per event to a loopback listener', async () => {
    const received: string[] = [];
    const udp = createSocket('udp4');
    udp.on('message', (m) => received.push(m.toString('utf8')));
    await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
    closers.push(() => udp.close());
    const registry = new Registry();
    const sender = new CotSender(silent, registry);
    closers.push(() => sender.onModuleDestroy());

    const outlet = sender.open('s1', { protocol: 'udp', host: '127.0.0.1', port: udp.address().port });
    outlet.send(['<event a/>', '<event b/>']);
    await until(() => received.length === 2);
    expect(received.sort()).toEqual(['<event a/>', '<event b/>']);
    expect(await counter(registry, 'tracker_cot_events_sent_total', { protocol: 'udp' })).toBe(2);
    // A closed outlet sends nothing more.
    sender.close('s1');
    outlet.send(['<event c/>']);
    await new Promise((r) => setTimeout(r, 100));
    expect(received).toHaveLength(2);
  });

  it('streams events over TCP, drops (and counts) while disconnected, and reconnects', async () => {
    const first = await tcpListener();
    const registry = new Registry();
    const sender = new CotSender(silent, registry);
    closers.push(() => sender.onModuleDestroy());
    const outlet = sender.open('s2', { protocol: 'tcp', host: '127.0.0.1', port: first.port });
    // Before the connection is up, events are dropped, not queued: positions are perishable.
    outlet.send(['<early/>']);
    await until(() => outlet.connected);
    outlet.send(['<event one/>', '<event two/>']);
    await until(() => first.text().includes('<event two/>'));
    expect(first.text()).toBe('<event one/><event two/>');
    expect(await counter(registry, 'tracker_cot_events_dropped_total', { reason: 'not_connected' })).toBe(1);

    // The server goes away: the outlet notices, then redials the same port once it is back.
    const port = first.port;
    for (const client of first.clients) client.destroy();
    await new Promise<void>((resolve) => first.server.close(() => resolve()));
    await until(() => !outlet.connected);
    outlet.send(['<lost/>']);
    expect(await counter(registry, 'tracker_cot_events_dropped_total', { reason: 'not_connected' })).toBe(2);
    const second = await tcpListener(port);
    closers.push(() => second.server.close());
    await until(() => outlet.connected, 10_000);
    outlet.send(['<event three/>']);
    await until(() => second.text().includes('<event three/>'));
    expect(second.text()).toBe('<event three/>');
    expect(await counter(registry, 'tracker_cot_events_sent_total', { protocol: 'tcp' })).toBe(3);
    sender.close('s2');
    for (const client of second.clients) client.destroy();
  }, 20_000);
});
