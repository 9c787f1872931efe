import type { QuotaName } from './snapshot.types.js';

/** Why a job that can eventually run must wait now, and by how much. */
export type Blocker = QuotaBlocker | CapacityBlocker;

export interface QuotaBlocker {
  readonly kind: 'quota';
  readonly quota: QuotaName;
  readonly limit: number;
  readonly used: number;
  readonly requested: number;
  /** How much of the quota must free up before the job fits. */
  readonly shortfall: number;
  /** When the blocker clears by itself (rate window, daily budget reset), if known. */
  readonly clearsAtMs?: number;
  readonly message: string;
}

export type CapacityResource = 'device-vram' | 'devices-on-node' | 'cpu-slots' | 'healthy-nodes';

export interface CapacityBlocker {
  readonly kind: 'capacity';
  readonly resource: CapacityResource;
  readonly needed: number;
  /** The best any eligible node or device offers now. */
  readonly available: number;
  readonly shortfall: number;
  readonly message: string;
}

export type RejectionCode =
  | 'invalid-job'
  | 'unknown-tenant'
  | 'tenant-suspended'
  | 'feature-disabled'
  | 'exceeds-quota'
  | 'exceeds-edition-ceiling'
  | 'deadline-passed'
  | 'never-fits-fleet';

/** A job that can never run as submitted; it is refused at submit with this reason. */
export interface Rejection {
  readonly code: RejectionCode;
  readonly reason: string;
}
