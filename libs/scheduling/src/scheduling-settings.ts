import { DEFAULT_BREAKER_CONFIG, type BreakerConfig } from './circuit-breaker.types.js';
import { DEFAULT_PLACEMENT_SAMPLE } from './fleet-index.js';
import { DEFAULT_PREEMPTION_POLICY } from './preemption.js';
import type { PassOptions } from './schedule-pass.js';
import type { PlacementPolicy } from './snapshot.types.js';

/** The seed every tie-break draws from when none is configured (SCHEDULER_SEED). */
export const DEFAULT_SCHEDULER_SEED = 'voxelfleet';

/**
 * The settings that change what placement decides: the scheduler's real passes and the
 * gateway's simulate read the same ones (SCHEDULER_SEED, SCHEDULER_POLICY,
 * SCHEDULER_PLACEMENT_SAMPLE, SCHEDULER_PREEMPTION_MIN_RUNTIME_MS), so a dry run promises
 * what a pass would do.
 */
export interface SchedulingPolicySettings {
  readonly seed?: string;
  readonly policy?: PlacementPolicy;
  /** Feasible nodes scored per job on a large fleet; 0 scores all. */
  readonly placementSample?: number;
  readonly breaker?: BreakerConfig;
  /** A job must have run this long before it may be preempted (SCHEDULER_PREEMPTION_MIN_RUNTIME_MS). */
  readonly preemptionMinRuntimeMs?: number;
}

/**
 * The decision options both services decide with, defaults filled in. Frozen, so every
 * decision's digest reuses the options' canonical text.
 */
export function schedulingOptionsOf(settings: SchedulingPolicySettings = {}): PassOptions {
  return Object.freeze({
    seed: settings.seed ?? DEFAULT_SCHEDULER_SEED,
    policy: settings.policy ?? 'least-loaded',
    placementSample: settings.placementSample ?? DEFAULT_PLACEMENT_SAMPLE,
    breaker: Object.freeze({ ...(settings.breaker ?? DEFAULT_BREAKER_CONFIG) }),
    preemption: Object.freeze({
      ...DEFAULT_PREEMPTION_POLICY,
      ...(settings.preemptionMinRuntimeMs === undefined
        ? {}
        : { minRuntimeMs: settings.preemptionMinRuntimeMs }),
    }),
  });
}
