/**
 * The CPU fallback budget: the longest a kernel class may take on the CPU when the CPU
 * stands in for a device. Past it the job fails `fallback-over-budget` rather than holding
 * a slot (and the caller) for however long the CPU needs.
 */
export interface FallbackBudgets {
  defaultMs: number;
  byKernel: Readonly<Record<string, number>>;
}

/** Parses `kernel=ms,kernel=ms` (FALLBACK_BUDGETS_MS); throws naming the bad entry. */
export function parseBudgets(spec: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of spec
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([A-Za-z0-9._-]+)=(\d+)$/.exec(part);
    if (!m || Number(m[2]) <= 0) throw new Error(`"${part}" is not kernel=positive-milliseconds`);
    out[m[1]!] = Number(m[2]);
  }
  return out;
}

export function budgetFor(budgets: FallbackBudgets, kernel: string): number {
  return budgets.byKernel[kernel] ?? budgets.defaultMs;
}

/** The wall-clock limit of a CPU run, and which failure it becomes when it is reached. */
export function cpuRunLimit(
  timeoutMs: number,
  fallback: boolean,
  budgetMs: number,
): { limitMs: number; onExpiry: 'timeout' | 'fallback-over-budget' } {
  if (fallback && budgetMs < timeoutMs) return { limitMs: budgetMs, onExpiry: 'fallback-over-budget' };
  return { limitMs: timeoutMs, onExpiry: 'timeout' };
}

/**
 * Learns how long each kernel takes on this node's CPU per work unit, from runs long enough
 * to be measured (short ones are dominated by fixed overhead and would overstate big jobs).
 */
export class CpuCostModel {
  private readonly rates = new Map<string, { msPerUnit: number; samples: number }>();

  constructor(
    private readonly minMeasuredMs = 5,
    private readonly weight = 0.3,
  ) {}

  observe(kernel: string, units: number, ms: number): void {
    if (ms < this.minMeasuredMs || units <= 0) return;
    const rate = ms / units;
    const prev = this.rates.get(kernel);
    this.rates.set(
      kernel,
      prev
        ? { msPerUnit: prev.msPerUnit + this.weight * (rate - prev.msPerUnit), samples: prev.samples + 1 }
        : { msPerUnit: rate, samples: 1 },
    );
  }

  /** Predicted milliseconds, or null until `minSamples` runs were measured. */
  predictMs(kernel: string, units: number, minSamples = 3): number | null {
    const r = this.rates.get(kernel);
    return r && r.samples >= minSamples ? r.msPerUnit * units : null;
  }
}

/**
 * Refuse at once when the prediction is far over budget (twice it), so the CPU is not spent
 * on work that will be thrown away; closer calls run and are cut at the budget.
 */
export function refuseOverBudget(predictedMs: number | null, budgetMs: number): boolean {
  return predictedMs !== null && predictedMs > 2 * budgetMs;
}
