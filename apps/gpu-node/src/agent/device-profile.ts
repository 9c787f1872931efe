import type { HeartbeatDevice } from '@voxelfleet/contracts';

type Capability = NonNullable<HeartbeatDevice['capability']>;

const ARCHITECTURES: Array<[number, string]> = [
  [12, 'blackwell'],
  [10, 'blackwell'],
  [9, 'hopper'],
  [8.9, 'ada'],
  [8, 'ampere'],
  [7.5, 'turing'],
  [7, 'volta'],
  [6, 'pascal'],
  [5, 'maxwell'],
];

/** The capability profile jobs and grants name (`sm_90+`), from the compute capability "M.m". */
export function capabilityProfile(computeCapability: string): Capability {
  const [majorText, minorText] = computeCapability.split('.');
  const major = Number(majorText);
  const minor = Number(minorText ?? 0);
  const cc = major + minor / 10;
  const architecture = ARCHITECTURES.find(([from]) => cc >= from)?.[1] ?? 'unknown';
  const precisions: Capability['precisions'] = ['fp64', 'fp32'];
  if (cc >= 5.3) precisions.push('fp16');
  if (cc >= 6.1) precisions.push('int8');
  if (cc >= 8) precisions.push('tf32', 'bf16');
  if (cc >= 8.9) precisions.push('fp8');
  return {
    vendor: 'nvidia',
    architecture,
    computeCapability: Number.isFinite(major) ? { major, minor } : undefined,
    precisions,
    tensorCores: cc >= 7,
  };
}

/**
 * Xid codes after which a device cannot be trusted with more work until it is reset: double
 * bit ECC (48), fallen off the bus (79), uncorrectable contained/uncontained ECC (94, 95),
 * row remapping failure (64), GSP/RM faults (119, 120), NVLink fatal (74).
 */
export const FATAL_XIDS = new Set([48, 64, 74, 79, 94, 95, 119, 120]);

/** Parses the addon's comma-separated Xid list (codes seen since the last read). */
export function parseXids(list: string | undefined): number[] {
  if (!list) return [];
  return list
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
}

export function fatalXid(xids: readonly number[]): number | null {
  return xids.find((x) => FATAL_XIDS.has(x)) ?? null;
}
