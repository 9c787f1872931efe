/** A job as the API shows it. */
export interface JobView {
  id: string;
  tenantId: string;
  workflowId: string | null;
  step: string | null;
  state: string;
  stateReason: string;
  kernel: { name: string; kernelId?: string };
  vramBytes: number;
  gpus: number;
  priority: string;
  boost: number;
  deadline: string | null;
  estimatedDurationMs: number | null;
  timeoutMs: number;
  preemptible: boolean;
  affinity: Record<string, string> | null;
  cpuFallbackAllowed: boolean;
  /** The device classes the submitter's grants allowed for the kernel; null: any device. */
  grantedDeviceClasses: string[] | null;
  attempt: number;
  maxAttempts: number;
  retryAt: string | null;
  nodeId: string | null;
  deviceIds: string[];
  output: unknown;
  error: unknown;
  submittedAt: string;
  placedAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface JobRow {
  id: string;
  tenant_id: string;
  workflow_id: string | null;
  step: string | null;
  state: string;
  state_reason: string;
  kernel: { name: string; kernelId?: string };
  vram_bytes: string;
  gpus: number;
  priority: string;
  boost: number;
  deadline_at: Date | null;
  estimated_duration_ms: number | null;
  timeout_ms: number;
  preemptible: boolean;
  affinity: Record<string, string> | null;
  cpu_fallback_allowed: boolean;
  granted_device_classes: string[] | null;
  attempt: number;
  max_attempts: number;
  not_before: Date | null;
  node_id: string | null;
  device_ids: string[];
  output: unknown;
  error: unknown;
  pending: unknown;
  submitted_at: Date;
  placed_at: Date | null;
  started_at: Date | null;
  finished_at: Date | null;
}

export const JOB_COLUMNS = `id, tenant_id, workflow_id, step, state, state_reason, kernel, vram_bytes, gpus, priority,
  boost, deadline_at, estimated_duration_ms, timeout_ms, preemptible, affinity, cpu_fallback_allowed, granted_device_classes, attempt,
  max_attempts, not_before, node_id, device_ids, output, error, pending, submitted_at, placed_at, started_at,
  finished_at`;

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function jobView(row: JobRow): JobView {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    workflowId: row.workflow_id,
    step: row.step,
    state: row.state,
    stateReason: row.state_reason,
    kernel: row.kernel,
    vramBytes: Number(row.vram_bytes),
    gpus: row.gpus,
    priority: row.priority,
    boost: row.boost,
    deadline: iso(row.deadline_at),
    estimatedDurationMs: row.estimated_duration_ms,
    timeoutMs: row.timeout_ms,
    preemptible: row.preemptible,
    affinity: row.affinity,
    cpuFallbackAllowed: row.cpu_fallback_allowed,
    grantedDeviceClasses: row.granted_device_classes,
    attempt: row.attempt,
    maxAttempts: row.max_attempts,
    retryAt: iso(row.not_before),
    nodeId: row.node_id,
    deviceIds: row.device_ids,
    output: row.output,
    error: row.error,
    submittedAt: row.submitted_at.toISOString(),
    placedAt: iso(row.placed_at),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
  };
}

interface Blocker {
  kind: 'quota' | 'capacity';
  message: string;
  shortfall: number;
  quota?: string;
  resource?: string;
  limit?: number;
  used?: number;
  requested?: number;
  needed?: number;
  available?: number;
  clearsAtMs?: number;
}

export interface PendingView {
  /** One line: what holds the job back. */
  summary: string;
  since: string | null;
  blockers: (Omit<Blocker, 'clearsAtMs'> & { clearsAt?: string })[];
}

/**
 * Why a queued job has not started: the scheduler's last blockers (which quota, which
 * capacity, and by how much), a retry backoff, or a dependency still running.
 */
export function pendingView(row: JobRow, nowMs: number): PendingView | null {
  if (row.state === 'waiting') {
    return { summary: 'waiting for the workflow steps it depends on', since: null, blockers: [] };
  }
  if (!['submitted', 'admitted', 'requeued'].includes(row.state)) return null;
  if (row.not_before && row.not_before.getTime() > nowMs) {
    return {
      summary: `retry backoff: next attempt at ${row.not_before.toISOString()}`,
      since: null,
      blockers: [],
    };
  }
  const stored = row.pending as { blockers?: Blocker[]; since?: number } | null;
  if (!stored?.blockers) {
    return { summary: 'queued: not yet considered by the scheduler', since: null, blockers: [] };
  }
  return {
    summary: stored.blockers.map((b) => b.message).join('; '),
    since: stored.since ? new Date(stored.since).toISOString() : null,
    blockers: stored.blockers.map(({ clearsAtMs, ...rest }) => ({
      ...rest,
      ...(clearsAtMs === undefined ? {} : { clearsAt: new Date(clearsAtMs).toISOString() }),
    })),
  };
}
