import type {
  DeviceSnapshot,
  EditionPolicy,
  FleetSnapshot,
  JobSpec,
  NodeSnapshot,
  RunningJob,
  TenantQuota,
  TenantSnapshot,
  TenantUsage,
} from '../snapshot.types.js';
import { GIB } from '../units.js';

/** Factories for spec files: sensible defaults, override what the test is about. */

export const GENEROUS_QUOTA: TenantQuota = {
  vramBytesPerDevice: 80 * GIB,
  vramBytesTotal: 640 * GIB,
  gpus: 16,
  concurrentJobs: 100,
  jobsPerMinute: 1000,
  gpuSecondsPerDay: 1_000_000,
  trackingStreams: 10,
};

export function anEdition(overrides: Partial<EditionPolicy> = {}): EditionPolicy {
  return {
    name: 'pro',
    features: { multiGpu: true, signedCustomKernels: true, trackingStreams: true, cpuFallback: true },
    ceiling: GENEROUS_QUOTA,
    ...overrides,
  };
}

export const EMPTY_USAGE: TenantUsage = {
  vramBytes: 0,
  gpus: 0,
  runningJobs: 0,
  recentSubmissionsMs: [],
  gpuSecondsToday: 0,
  trackingStreams: 0,
};

export function aTenant(overrides: Partial<TenantSnapshot> = {}): TenantSnapshot {
  return {
    id: 'tenant-a',
    suspended: false,
    edition: anEdition(),
    quota: GENEROUS_QUOTA,
    usage: EMPTY_USAGE,
    ...overrides,
  };
}

export function aDevice(overrides: Partial<DeviceSnapshot> = {}): DeviceSnapshot {
  return {
    id: 'gpu-0',
    capability: {
      vendor: 'nvidia',
      architecture: 'hopper',
      computeCapability: { major: 9, minor: 0 },
      memoryBytes: 80 * GIB,
      precisions: ['fp64', 'fp32', 'tf32', 'fp16', 'bf16', 'fp8', 'int8'],
      tensorCores: true,
    },
    freeVramBytes: 80 * GIB,
    utilization: 0,
    temperatureC: 45,
    throttling: false,
    ...overrides,
  };
}

export const AMPERE_40G = {
  vendor: 'nvidia',
  architecture: 'ampere',
  computeCapability: { major: 8, minor: 0 },
  memoryBytes: 40 * GIB,
  precisions: ['fp64', 'fp32', 'tf32', 'fp16', 'bf16', 'int8'],
  tensorCores: true,
} as const satisfies DeviceSnapshot['capability'];

export function aNode(overrides: Partial<NodeSnapshot> = {}): NodeSnapshot {
  return { id: 'node-1', state: 'ready', devices: [aDevice()], ...overrides };
}

export function aJob(overrides: Partial<JobSpec> = {}): JobSpec {
  return {
    id: 'job-1',
    tenantId: 'tenant-a',
    kernel: { name: 'saxpy' },
    vramBytesPerDevice: 8 * GIB,
    gpus: 1,
    priority: 'normal',
    submittedAtMs: 0,
    preemptible: true,
    cpuFallbackAllowed: false,
    ...overrides,
  };
}

export function aRunningJob(overrides: Partial<RunningJob> = {}): RunningJob {
  return {
    jobId: 'run-1',
    tenantId: 'tenant-b',
    nodeId: 'node-1',
    deviceIds: ['gpu-0'],
    vramBytesPerDevice: 8 * GIB,
    priority: 'low',
    preemptible: true,
    startedAtMs: 0,
    ...overrides,
  };
}

export function aFleet(overrides: Partial<FleetSnapshot> = {}): FleetSnapshot {
  return { nowMs: 1_000_000, tenants: [aTenant()], nodes: [aNode()], running: [], ...overrides };
}
