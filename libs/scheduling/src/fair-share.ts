import type { TenantSnapshot } from './snapshot.types.js';

/** One hour: a burst an hour ago weighs half as much as one now. */
export const DEFAULT_FAIR_SHARE_HALF_LIFE_MS = 3_600_000;

export interface DecayedUsage {
  readonly gpuSeconds: number;
  readonly atMs: number;
}

export interface UsageSample {
  readonly atMs: number;
  readonly gpuSeconds: number;
}

/** Exponential decay: usage `halfLifeMs` old counts half. Never grows when moving back in time. */
export function decayUsage(usage: DecayedUsage, toMs: number, halfLifeMs: number): DecayedUsage {
  if (toMs <= usage.atMs) return usage;
  const factor = Math.pow(0.5, (toMs - usage.atMs) / halfLifeMs);
  return { gpuSeconds: usage.gpuSeconds * factor, atMs: toMs };
}

/**
 * Folds new usage into a running decayed total, so the store keeps one number per tenant
 * instead of its whole history.
 */
export function addUsage(
  usage: DecayedUsage | undefined,
  sample: UsageSample,
  halfLifeMs: number = DEFAULT_FAIR_SHARE_HALF_LIFE_MS,
): DecayedUsage {
  const base = usage ?? { gpuSeconds: 0, atMs: sample.atMs };
  if (sample.atMs >= base.atMs) {
    const decayed = decayUsage(base, sample.atMs, halfLifeMs);
    return { gpuSeconds: decayed.gpuSeconds + sample.gpuSeconds, atMs: sample.atMs };
  }
  // A late-reported sample is decayed to the running total's time before it is added.
  const late = decayUsage({ gpuSeconds: sample.gpuSeconds, atMs: sample.atMs }, base.atMs, halfLifeMs);
  return { gpuSeconds: base.gpuSeconds + late.gpuSeconds, atMs: base.atMs };
}

/** The same total computed from a raw history; used by tests and by rebuilds after a restart. */
export function decayedUsageFromHistory(
  samples: readonly UsageSample[],
  nowMs: number,
  halfLifeMs: number = DEFAULT_FAIR_SHARE_HALF_LIFE_MS,
): number {
  let total = 0;
  for (const sample of samples) {
    const age = Math.max(0, nowMs - sample.atMs);
    total += sample.gpuSeconds * Math.pow(0.5, age / halfLifeMs);
  }
  return total;
}

/**
 * A tenant's claim on the next slot: decayed usage per unit of weight. Lower is served
 * first, so a tenant that just burst waits behind tenants that have used less of their share.
 */
export function fairShareKey(
  tenant: Pick<TenantSnapshot, 'decayedUsage' | 'weight'>,
  nowMs: number,
  halfLifeMs: number = DEFAULT_FAIR_SHARE_HALF_LIFE_MS,
): number {
  const usage = tenant.decayedUsage ? decayUsage(tenant.decayedUsage, nowMs, halfLifeMs).gpuSeconds : 0;
  const weight = tenant.weight !== undefined && tenant.weight > 0 ? tenant.weight : 1;
  return usage / weight;
}
