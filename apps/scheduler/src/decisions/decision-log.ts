import {
  replayPass,
  type DecisionRecord,
  type FleetSnapshot,
  type JobDecision,
  type JobSpec,
  type PassOptions,
  type PassReplayVerdict,
} from '@voxelfleet/scheduling';
import type { DataSource, EntityManager } from 'typeorm';

export interface LoggedDecision {
  passDigest: string;
  position: number;
  jobId: string;
  record: DecisionRecord<JobDecision>;
}

interface DecisionRow {
  position: number;
  kind: DecisionRecord['kind'];
  at: Date;
  seed: string;
  inputs_digest: string;
  choice: JobDecision;
  reason: string;
  tenant_id: string | null;
}

/**
 * The scheduling decision log. Each row keeps the inputs digest, the choice and the reason;
 * with trace recording on, the pass's full inputs are kept too, so the pass can be replayed
 * and must choose the same again.
 */
export class DecisionLog {
  constructor(
    private readonly db: DataSource,
    private readonly leader: string,
  ) {}

  async append(manager: EntityManager, decisions: readonly LoggedDecision[]): Promise<void> {
    if (decisions.length === 0) return;
    // One JSON parameter: a pass writes thousands of rows, and pg would build and escape an
    // array literal per column (the choices' JSON twice over).
    await manager.query(
      `INSERT INTO scheduling_decisions (at, pass_digest, position, kind, job_id, tenant_id, seed, inputs_digest,
         choice, reason, leader)
       SELECT to_timestamp(d.at / 1000.0), d.pass_digest, d.position, d.kind, d.job_id, d.tenant_id, d.seed,
              d.inputs_digest, d.choice, d.reason, $1
         FROM json_to_recordset($2::json)
           AS d(at float8, pass_digest text, position int, kind text, job_id uuid, tenant_id uuid, seed text,
                inputs_digest text, choice jsonb, reason text)`,
      [
        this.leader,
        JSON.stringify(
          decisions.map((d) => ({
            at: d.record.atMs,
            pass_digest: d.passDigest,
            position: d.position,
            kind: d.record.kind,
            job_id: d.jobId,
            tenant_id: d.record.tenantId ?? null,
            seed: String(d.record.seed),
            inputs_digest: d.record.inputsDigest,
            choice: d.record.choice,
            reason: d.record.reason,
          })),
        ),
      ],
    );
  }

  async recordTrace(
    manager: EntityManager,
    passDigest: string,
    snapshot: FleetSnapshot,
    queue: readonly JobSpec[],
    options: PassOptions,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO scheduling_passes (pass_digest, at, snapshot, queue, options)
       VALUES ($1, to_timestamp($2 / 1000.0), $3, $4, $5) ON CONFLICT (pass_digest) DO NOTHING`,
      [passDigest, snapshot.nowMs, JSON.stringify(snapshot), JSON.stringify(queue), JSON.stringify(options)],
    );
  }

  /** Re-runs a recorded pass and compares every decision with the log; null when not recorded. */
  async replay(passDigest: string): Promise<(PassReplayVerdict & { decisions: number }) | null> {
    const passes: { snapshot: FleetSnapshot; queue: JobSpec[]; options: PassOptions }[] = await this.db.query(
      `SELECT snapshot, queue, options FROM scheduling_passes WHERE pass_digest = $1`,
      [passDigest],
    );
    const pass = passes[0];
    if (!pass) return null;
    const rows: DecisionRow[] = await this.db.query(
      `SELECT position, kind, at, seed, inputs_digest, choice, reason, tenant_id FROM scheduling_decisions
        WHERE pass_digest = $1 ORDER BY position`,
      [passDigest],
    );
    const seed = pass.options.seed;
    const logged: DecisionRecord<JobDecision>[] = rows.map((row) => ({
      kind: row.kind,
      atMs: row.at.getTime(),
      seed,
      inputsDigest: row.inputs_digest,
      choice: row.choice,
      reason: row.reason,
      ...(row.tenant_id ? { tenantId: row.tenant_id } : {}),
    }));
    const verdict = replayPass(logged, pass.snapshot, pass.queue, pass.options);
    return { ...verdict, decisions: logged.length };
  }
}
