/** The gateway's and tracker's answers, as far as the console reads them. */

export interface ConsoleConfig {
  trackerUrl: string;
}

export interface Me {
  id: string;
  name: string;
  kind: string;
  tenantId: string | null;
  roles: string[];
  tenant?: { id: string; name: string; edition: string; suspended: boolean };
}

export interface DeviceStats {
  index: number;
  uuid: string;
  name: string;
  healthy: boolean;
  vram: { totalBytes: number; usedBytes: number; peakBytes: number; poolCapacityBytes: number | null };
  allocations: { succeeded: number; failed: number };
  ooms: { soft: number; hard: number };
  utilization: number | null;
  temperatureC: number | null;
  powerW: number | null;
  throttling: boolean;
}

export interface FleetStats {
  at: string;
  totals: {
    nodes: number;
    nodesByState: Record<string, number>;
    devices: number;
    healthyDevices: number;
    vramTotalBytes: number;
    vramUsedBytes: number;
    meanUtilization: number | null;
    maxTemperatureC: number | null;
    runningJobs: number;
    cpuFallbacks: number;
  };
  nodes: {
    nodeId: string;
    state: string;
    lastHeartbeatAt: string | null;
    cpuFallbacks: number;
    runningJobs: number;
    devices: DeviceStats[];
  }[];
}

export interface QuotaLine {
  quota: string;
  limit: number;
  source: string;
  used: number;
  headroom: number;
}

export interface TenantUsage {
  at: string;
  usageSource: string;
  tenants: {
    tenantId: string;
    name: string;
    edition: string;
    suspended: boolean;
    quotas: QuotaLine[];
  }[];
}

export interface Job {
  id: string;
  tenantId: string;
  workflowId: string | null;
  step: string | null;
  state: string;
  stateReason: string;
  kernel: { name: string };
  vramBytes: number;
  gpus: number;
  priority: string;
  estimatedDurationMs: number | null;
  attempt: number;
  maxAttempts: number;
  nodeId: string | null;
  deviceIds: string[];
  error: unknown;
  submittedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface JobDetail extends Job {
  pending: {
    summary: string;
    since: string | null;
    blockers: { kind: string; message: string; shortfall: number; quota?: string; resource?: string }[];
  } | null;
  transitions: {
    from: string | null;
    to: string;
    at: string;
    reason: string;
    nodeId: string | null;
    attempt: number;
  }[];
}

export interface Workflow {
  id: string;
  tenantId: string;
  name: string;
  state: string;
  reason: string | null;
  criticalPath: string[];
  createdAt: string;
  finishedAt: string | null;
  steps: {
    key: string;
    jobId: string;
    state: string;
    stateReason: string;
    onCriticalPath: boolean;
    dependsOn: { step: string; onFailure: string }[];
  }[];
}

export interface AuditEntry {
  seq: string;
  chain: string;
  chainSeq: string | number;
  tenantId: string | null;
  at: string;
  actor: { id: string | null; type: string; roles: string[] };
  sourceIp: string | null;
  action: string;
  resource: { type: string; id: string | null };
  outcome: string;
  reason: string | null;
}

export interface AuditPage {
  entries: AuditEntry[];
  nextCursor: string | null;
}

export interface AuditVerification {
  ok: boolean;
  checkpointsTrusted: boolean;
  chains: {
    chain: string;
    fromSeq: number;
    toSeq: number;
    badCheckpoints: number[];
    result:
      | { ok: true; checked: number }
      | { ok: false; checked: number; firstBrokenSeq: number; reason: string; detail: string };
  }[];
}

export interface Stream {
  id: string;
  name: string;
  rigId: string;
  state: string;
  grid: { origin: number[]; dims: number[]; voxelSize: number };
  live: {
    fps: number;
    latencyMs: number;
    tracks: number;
    framesProcessed: number;
    lastT: number | null;
  } | null;
  replay: { state: string; percent: number } | null;
}

export interface Rig {
  id: string;
  name: string;
  cameras: {
    id: string;
    width: number;
    height: number;
    intrinsics: { fx: number; fy: number; cx: number; cy: number };
    position: number[];
    quaternion: number[];
  }[];
}
