import type { Result } from 'autocannon';

/** One target's flat-out figures, summed over its slices of an interleaved run. */
export interface FlatResult {
  /** Requests answered per second over all of the target's slices. */
  rps: number;
  /** Requests per second of each slice, in run order. */
  sliceRps: number[];
  /** Median of the slices' p50 latencies, ms. */
  p50: number;
  /** Largest of the slices' p99 latencies, ms. */
  p99: number;
  non2xx: number;
  errors: number;
}

/**
 * Runs the targets flat out in turns, `rounds` times (bare, quota, simulate, bare, quota, ...),
 * each target `seconds` in all (turns of `seconds / rounds`), so every target meets the same machine: on a shared
 * 2-core VM the capacity left to the server drifts over a minute, and targets measured one
 * after the other would carry that drift into their ratios.
 */
export async function interleavedFlat<Name extends string>(
  names: readonly Name[],
  rounds: number,
  seconds: number,
  runSlice: (name: Name, seconds: number) => Promise<Result>,
): Promise<Record<Name, FlatResult>> {
  const slices = new Map<Name, Result[]>(names.map((name) => [name, []]));
  const sliceSeconds = Math.max(1, Math.round(seconds / rounds));
  for (let round = 0; round < rounds; round += 1)
    for (const name of names) slices.get(name)?.push(await runSlice(name, sliceSeconds));
  const out = {} as Record<Name, FlatResult>;
  for (const name of names) {
    const results = slices.get(name) ?? [];
    const requests = results.reduce((n, r) => n + r.requests.total, 0);
    const duration = results.reduce((n, r) => n + r.duration, 0);
    out[name] = {
      rps: duration > 0 ? requests / duration : 0,
      sliceRps: results.map((r) => r.requests.total / r.duration),
      p50: median(results.map((r) => r.latency.p50)),
      p99: Math.max(...results.map((r) => r.latency.p99)),
      non2xx: results.reduce((n, r) => n + r.non2xx, 0),
      errors: results.reduce((n, r) => n + r.errors, 0),
    };
  }
  return out;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
