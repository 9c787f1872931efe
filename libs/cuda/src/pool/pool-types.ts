export interface Allocation {
  readonly id: number;
  /** Device address (a host address on the host backing). */
  readonly address: number;
  /** Bytes asked for. */
  readonly bytes: number;
  /** Bytes taken: `bytes` rounded up to the pool's alignment. */
  readonly size: number;
  readonly tenant: string;
  readonly jobId: string;
  readonly label: string | undefined;
}

export interface LeakReport {
  jobId: string;
  tenant: string;
  /** Buffers the job still held when it closed; the pool freed them. */
  leaked: { id: number; bytes: number; label: string | undefined }[];
  leakedBytes: number;
}

export interface TenantStats {
  usedBytes: number;
  /** Held for the tenant's open jobs' reservations, not yet allocated. */
  reservedBytes: number;
  limitBytes: number;
  allocations: number;
  softOoms: number;
  peakUsedBytes: number;
}

export interface PoolStats {
  backing: 'host' | 'cuda';
  capacityBytes: number;
  heldBytes: number;
  slabs: number;
  usedBytes: number;
  freeBytes: number;
  pendingZeroBytes: number;
  largestFreeBytes: number;
  /** 1 - largestFreeBytes / freeBytes. */
  fragmentation: number;
  reservedBytes: number;
  liveAllocations: number;
  openJobs: number;
  hardOoms: number;
  tenants: Record<string, TenantStats>;
}
