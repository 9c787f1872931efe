import {
  DEFAULT_PLACEMENT_SAMPLE,
  DEFAULT_PREEMPTION_POLICY,
  DEFAULT_SCHEDULER_SEED,
  type SchedulingPolicySettings,
} from '@voxelfleet/scheduling';
import { z } from 'zod';

/**
 * The variables that change what placement decides. The scheduler decides with them and the
 * gateway's simulate answers with them: both services read this one definition, so a
 * deployment that sets them once for both gets dry runs that promise what passes do.
 */
export const schedulingPolicySchema = {
  /** Seed for every tie-break; the same seed and inputs give the same placements. */
  SCHEDULER_SEED: z.string().min(1).default(DEFAULT_SCHEDULER_SEED),
  SCHEDULER_POLICY: z.enum(['least-loaded', 'bin-pack', 'spread']).default('least-loaded'),
  /**
   * On fleets of more than 200 nodes, placement scores this many feasible nodes per job (drawn
   * from the free-capacity index, see libs/scheduling placement-sample.ts); 0 scores all.
   */
  SCHEDULER_PLACEMENT_SAMPLE: z.coerce.number().int().min(0).default(DEFAULT_PLACEMENT_SAMPLE),
  /** A job must have run this long before preemption may stop it, so no job is stopped over and over. */
  SCHEDULER_PREEMPTION_MIN_RUNTIME_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(DEFAULT_PREEMPTION_POLICY.minRuntimeMs),
};

export function schedulingPolicyFrom(config: {
  SCHEDULER_SEED: string;
  SCHEDULER_POLICY: 'least-loaded' | 'bin-pack' | 'spread';
  SCHEDULER_PLACEMENT_SAMPLE: number;
  SCHEDULER_PREEMPTION_MIN_RUNTIME_MS: number;
}): Required<Omit<SchedulingPolicySettings, 'breaker'>> {
  return {
    seed: config.SCHEDULER_SEED,
    policy: config.SCHEDULER_POLICY,
    placementSample: config.SCHEDULER_PLACEMENT_SAMPLE,
    preemptionMinRuntimeMs: config.SCHEDULER_PREEMPTION_MIN_RUNTIME_MS,
  };
}
