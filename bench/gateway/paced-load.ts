import { Agent, request } from 'node:http';
import { percentile } from '../lib/results.js';

export interface PacedTarget {
  path: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

export interface PacedResult {
  sent: number;
  ok: number;
  failed: number;
  /** Requests completed per second over the run. */
  rps: number;
  p50: number;
  p99: number;
  /** p99 of how late the generator sent requests (its own stalls, not the server's), ms. */
  sendLagP99: number;
}

/**
 * An open-loop load at a fixed rate: request i is due at start + i / rate and goes out as soon
 * as the timer reaches it, whether or not earlier ones have answered; its latency is measured
 * from the time it was due, so a server that falls behind is charged for the wait (no
 * coordinated omission). autocannon's `overallRate` instead sends each second's quota back to
 * back at the start of the second, which measures burst latency, not latency at that rate.
 */
export async function pacedLoad(
  base: string,
  target: PacedTarget,
  rate: number,
  seconds: number,
): Promise<PacedResult> {
  const url = new URL(target.path, base);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  const sendLags: number[] = [];
  let ok = 0;
  let failed = 0;
  let sent = 0;
  const start = performance.now();
  const body = target.body === undefined ? undefined : Buffer.from(target.body);
  const one = (due: number): Promise<void> =>
    new Promise((resolve) => {
      const req = request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: target.method,
          headers: { ...target.headers, ...(body ? { 'content-length': body.length } : {}) },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - due);
            if (res.statusCode !== undefined && res.statusCode < 300) ok++;
            else failed++;
            resolve();
          });
        },
      );
      req.on('error', () => {
        failed++;
        resolve();
      });
      req.end(body);
    });
  const inFlight: Promise<void>[] = [];
  await new Promise<void>((done) => {
    const tick = (): void => {
      const now = performance.now();
      while (sent < total && start + (sent * 1000) / rate <= now) {
        const due = start + (sent * 1000) / rate;
        sendLags.push(now - due);
        inFlight.push(one(due));
        sent++;
      }
      if (sent >= total) {
        done();
        return;
      }
      setTimeout(tick, Math.max(0, start + (sent * 1000) / rate - performance.now()));
    };
    tick();
  });
  await Promise.all(inFlight);
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  sendLags.sort((a, b) => a - b);
  return {
    sent,
    ok,
    failed,
    rps: ok / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    sendLagP99: percentile(sendLags, 99),
  };
}
