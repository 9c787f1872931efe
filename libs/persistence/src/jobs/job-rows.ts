import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';

/** A new job row, as the gateway (and the tracker, for evidence jobs) writes it; the scheduler takes it from `submitted` on. */
export interface NewJobRow {
  /** Chosen by the caller when it must link rows (workflow edges) before the insert. */
  id?: string;
  tenantId: string;
  workflowId?: string;
  step?: string;
  state: 'submitted' | 'waiting';
  stateReason: string;
  kernel: { name: string; kernelId?: string };
  inputs: Record<string, unknown>;
  vramBytes: number;
  gpus: number;
  priority: string;
  boost?: number;
  deadlineAt: Date | null;
  estimatedDurationMs: number | null;
  timeoutMs: number;
  preemptible: boolean;
  affinity: Record<string, string> | null;
  cpuFallbackAllowed: boolean;
  maxAttempts: number;
}

/** Many jobs in one statement (a workflow, a batch); returns their ids in input order. */
export async function insertJobs(manager: EntityManager, rows: readonly NewJobRow[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id ?? randomUUID());
  await manager.query(
    `INSERT INTO jobs (id, tenant_id, workflow_id, step, state, state_reason, kernel, inputs, vram_bytes, gpus, priority,
       boost, deadline_at, estimated_duration_ms, timeout_ms, preemptible, affinity, cpu_fallback_allowed, max_attempts)
     SELECT r.id, r.tenant_id, r.workflow_id, r.step, r.state, r.state_reason, r.kernel, r.inputs, r.vram_bytes, r.gpus,
            r.priority, r.boost, r.deadline_at, r.estimated_duration_ms, r.timeout_ms, r.preemptible, r.affinity,
            r.cpu_fallback_allowed, r.max_attempts
       FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::jsonb[],
                   $9::bigint[], $10::int[], $11::text[], $12::int[], $13::timestamptz[], $14::int[], $15::int[],
                   $16::boolean[], $17::jsonb[], $18::boolean[], $19::int[])
         AS r(id, tenant_id, workflow_id, step, state, state_reason, kernel, inputs, vram_bytes, gpus, priority, boost,
              deadline_at, estimated_duration_ms, timeout_ms, preemptible, affinity, cpu_fallback_allowed,
              max_attempts)`,
    [
      ids,
      rows.map((r) => r.tenantId),
      rows.map((r) => r.workflowId ?? null),
      rows.map((r) => r.step ?? null),
      rows.map((r) => r.state),
      rows.map((r) => r.stateReason),
      rows.map((r) => JSON.stringify(r.kernel)),
      rows.map((r) => JSON.stringify(r.inputs)),
      rows.map((r) => r.vramBytes),
      rows.map((r) => r.gpus),
      rows.map((r) => r.priority),
      rows.map((r) => r.boost ?? 0),
      rows.map((r) => r.deadlineAt),
      rows.map((r) => r.estimatedDurationMs),
      rows.map((r) => r.timeoutMs),
      rows.map((r) => r.preemptible),
      rows.map((r) => (r.affinity ? JSON.stringify(r.affinity) : null)),
      rows.map((r) => r.cpuFallbackAllowed),
      rows.map((r) => r.maxAttempts),
    ],
  );
  return ids;
}
