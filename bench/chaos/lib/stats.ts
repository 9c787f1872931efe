import { percentile } from '../../lib/index.js';

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: sorted.length ? percentile(sorted, 50) : 0,
    p99: sorted.length ? percentile(sorted, 99) : 0,
    max: sorted.at(-1) ?? 0,
  };
}

/** RSS samples of one process over a soak, in MB, oldest first. */
export interface RssSeries {
  name: string;
  samples: { atMs: number; mb: number }[];
}

export interface RssVerdict {
  name: string;
  startMb: number;
  endMb: number;
  growthMb: number;
  /** Growth over the second half only: a leak keeps climbing, a warming heap levels off. */
  secondHalfGrowthMb: number;
  bounded: boolean;
}

/**
 * Memory growth is bounded when a process grew by at most `totalLimitMb` over the whole soak
 * and by at most `secondHalfLimitMb` over its second half. Start and end are the mean of the
 * first and last few samples, so one GC cycle does not decide the verdict.
 */
export function judgeRss(series: RssSeries, totalLimitMb: number, secondHalfLimitMb: number): RssVerdict {
  const mb = series.samples.map((sample) => sample.mb);
  if (mb.length < 2) throw new Error(`${series.name}: need at least two RSS samples`);
  const window = Math.max(1, Math.floor(mb.length / 10));
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const startMb = mean(mb.slice(0, window));
  const endMb = mean(mb.slice(-window));
  const middle = Math.floor(mb.length / 2);
  const midMb = mean(mb.slice(Math.max(0, middle - Math.floor(window / 2)), middle + Math.ceil(window / 2)));
  const growthMb = endMb - startMb;
  const secondHalfGrowthMb = endMb - midMb;
  return {
    name: series.name,
    startMb,
    endMb,
    growthMb,
    secondHalfGrowthMb,
    bounded: growthMb <= totalLimitMb && secondHalfGrowthMb <= secondHalfLimitMb,
  };
}
