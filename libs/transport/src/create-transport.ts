import { BullMqTransport, type BullMqTransportOptions } from './bullmq/bullmq.transport.js';
import { InProcessTransport } from './in-process/in-process.transport.js';
import type { Transport } from './transport.port.js';

/** BullMQ when a Redis URL is configured, otherwise the in-process adapter. */
export function createTransport(
  options: { redisUrl?: string; prefix: string } & Omit<BullMqTransportOptions, 'url' | 'prefix'>,
): Transport {
  if (!options.redisUrl) return new InProcessTransport();
  return new BullMqTransport({ ...options, url: options.redisUrl });
}
