import type { CapacityBlocker } from './blockers.js';
import type { Borrowing } from './borrowing.js';
import type { BreakerConfig } from './circuit-breaker.types.js';
import type { DeviceClass } from './device-class.js';
import type { FleetSnapshot, PlacementPolicy } from './snapshot.types.js';

export interface PlacementOptions {
  readonly nowMs: number;
  readonly seed: number | string;
  readonly policy: PlacementPolicy;
  readonly deviceClass: DeviceClass | null;
  readonly cpuFallbackPermitted: boolean;
  readonly breaker: BreakerConfig;
  /** At or above this a device is treated as hot and avoided. */
  readonly hotTemperatureC?: number;
  /**
   * On a fleet larger than SAMPLE_MIN_FLEET whose node list carries a `FleetIndex`, score at
   * most this many feasible nodes (plus irregular ones) instead of all; absent or 0: all.
   */
  readonly sampleSize?: number;
}

export type PlacementFleet = Pick<FleetSnapshot, 'nodes' | 'running' | 'streamNodes'>;

export type Placement =
  | {
      readonly target: 'gpu';
      readonly nodeId: string;
      readonly deviceIds: readonly string[];
      readonly score: number;
      readonly reason: string;
      /** Quota the job borrows from its cohort; kept with the job, which marks it reclaimable. */
      readonly borrowing?: readonly Borrowing[];
    }
  | {
      readonly target: 'cpu';
      readonly nodeId: string;
      readonly score: number;
      readonly reason: string;
      readonly borrowing?: readonly Borrowing[];
    };

export interface Exclusion {
  readonly nodeId: string;
  readonly deviceId?: string;
  readonly reason: string;
}

export type PlacementResult =
  | { readonly ok: true; readonly placement: Placement }
  | {
      readonly ok: false;
      readonly blockers: readonly CapacityBlocker[];
      readonly exclusions: readonly Exclusion[];
    };

export const DEFAULT_HOT_TEMPERATURE_C = 85;
/** Below this a device is cool enough that temperature does not enter the score. */
export const WARM_TEMPERATURE_C = 70;
