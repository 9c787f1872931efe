/**
 * How many jobs the node runs at once, adjusted every interval from what it measured:
 * busy devices gain nothing from more concurrent jobs (they only queue inside the driver and
 * lengthen every job), while jobs waiting on the node with the device not busy mean the
 * limit itself is the bottleneck.
 */
export interface ConcurrencySample {
  /** Current limit. */
  limit: number;
  min: number;
  max: number;
  /** Busy fraction of the compute the jobs run on (GPU utilization, or CPU time over cores), 0..1; null if unknown. */
  utilization: number | null;
  /** Median wait between a job arriving and starting, over the interval, ms. */
  queueWaitMs: number;
  /** Jobs waiting for a slot at the end of the interval. */
  waiting: number;
  /** Most jobs running at once during the interval. */
  peakRunning: number;
}

export interface ConcurrencyRule {
  /** Above this utilization the limit goes down. */
  highUtilization: number;
  /** Below this utilization, with jobs waiting, the limit goes up. */
  lowUtilization: number;
  /** Queue wait that counts as jobs waiting on the limit, ms. */
  waitTargetMs: number;
}

export const DEFAULT_CONCURRENCY_RULE: ConcurrencyRule = {
  highUtilization: 0.9,
  lowUtilization: 0.75,
  waitTargetMs: 20,
};

export interface ConcurrencyDecision {
  limit: number;
  reason: 'saturated' | 'waiting-on-limit' | 'steady' | 'clamped';
}

export function nextConcurrency(
  s: ConcurrencySample,
  rule: ConcurrencyRule = DEFAULT_CONCURRENCY_RULE,
): ConcurrencyDecision {
  const clamp = (n: number) => Math.min(s.max, Math.max(s.min, n));
  if (s.limit !== clamp(s.limit)) return { limit: clamp(s.limit), reason: 'clamped' };
  const util = s.utilization;
  if (util !== null && util > rule.highUtilization && s.limit > s.min) {
    // Multiplicative decrease: a saturated device recovers fast.
    return { limit: clamp(Math.floor(s.limit * 0.75)), reason: 'saturated' };
  }
  const waiting = s.waiting > 0 && s.queueWaitMs > rule.waitTargetMs && s.peakRunning >= s.limit;
  if (waiting && (util === null || util < rule.lowUtilization) && s.limit < s.max) {
    // Additive increase: probe one step at a time.
    return { limit: clamp(s.limit + 1), reason: 'waiting-on-limit' };
  }
  return { limit: s.limit, reason: 'steady' };
}
