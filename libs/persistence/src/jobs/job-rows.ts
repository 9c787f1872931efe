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
  // One JSON parameter rather than an array per column: pg builds and escapes an array literal
  // per column, the JSON columns twice over, and a batch holds thousands of rows.
  await manager.query(
    `INSERT INTO jobs (id, tenant_id, workflow_id, step, state, state_reason, kernel, inputs, vram_bytes, gpus, priority,
       boost, deadline_at, estimated_duration_ms, timeout_ms, preemptible, affinity, cpu_fallback_allowed, max_attempts)
     SELECT r.id, r.tenant_id, r.workflow_id, r.step, r.state, r.state_reason, r.kernel, r.inputs, r.vram_bytes, r.gpus,
            r.priority, r.boost, r.deadline_at, r.estimated_duration_ms, r.timeout_ms, r.preemptible, r.affinity,
            r.cpu_fallback_allowed, r.max_attempts
       FROM json_to_recordset($1::json)
         AS r(id uuid, tenant_id uuid, workflow_id uuid, step text, state text, state_reason text, kernel jsonb,
              inputs jsonb, vram_bytes bigint, gpus int, priority text, boost int, deadline_at timestamptz,
              estimated_duration_ms int, timeout_ms int, preemptible boolean, affinity jsonb,
              cpu_fallback_allowed boolean, max_attempts int)`,
    [
      JSON.stringify(
        rows.map((r, i) => ({
          id: ids[i],
          tenant_id: r.tenantId,
          workflow_id: r.workflowId ?? null,
          step: r.step ?? null,
          state: r.state,
          state_reason: r.stateReason,
          kernel: r.kernel,
          inputs: r.inputs,
          vram_bytes: r.vramBytes,
          gpus: r.gpus,
          priority: r.priority,
          boost: r.boost ?? 0,
          deadline_at: r.deadlineAt,
          estimated_duration_ms: r.estimatedDurationMs,
          timeout_ms: r.timeoutMs,
          preemptible: r.preemptible,
          affinity: r.affinity,
          cpu_fallback_allowed: r.cpuFallbackAllowed,
          max_attempts: r.maxAttempts,
        })),
      ),
    ],
  );
  return ids;
}
