import { randomUUID } from 'node:crypto';
import type { KernelInputs } from '@voxelfleet/contracts';
import { insertJobs, type NewJobRow } from '@voxelfleet/persistence';
import type { Transport } from '@voxelfleet/transport';
import {
  evidenceJobBytes,
  evidenceJobInputs,
  evidenceResultOf,
  type PreparedFrameSet,
} from '@voxelfleet/voxel';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import {
  EvidenceLostError,
  type EvidenceBackend,
  type EvidenceOutcome,
  type EvidenceOwner,
} from './evidence-backend.js';
import { JobWaiters, type FinishedJobRow } from './job-waiters.js';

export interface FleetEvidenceOptions {
  /** How long a frame-set's evidence may take, submission to result, before it counts as lost. */
  budgetMs: number;
  /** How often finished jobs are looked up while some are outstanding. */
  pollMs: number;
}

interface Submission {
  row: NewJobRow & { id: string };
}

/**
 * Evidence as `voxel.evidence` jobs on the fleet: each frame-set becomes a realtime job of the
 * stream's tenant (charged to its quotas, ordered and placed by the scheduler, run by a
 * gpu-node on a device or its CPU). Jobs submitted in the same tick go in one statement; one
 * query per poll reads back every finished one. A job without a result within the budget is a
 * gap: its deadline makes the scheduler or the node expire it rather than run a stale frame.
 */
export class FleetEvidence implements EvidenceBackend {
  readonly kind = 'fleet';
  private readonly waiters = new JobWaiters();
  private pending: Submission[] = [];
  private flushQueued = false;
  private timer?: NodeJS.Timeout;
  private polling = false;
  private closed = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly transport: Transport,
    private readonly logger: Logger,
    private readonly options: FleetEvidenceOptions,
  ) {}

  start(owner: EvidenceOwner, prepared: PreparedFrameSet): Promise<EvidenceOutcome> {
    if (this.closed) return Promise.reject(new EvidenceLostError('the tracker is shutting down'));
    // Encoded now: the pipeline reuses the request's masks for the next frame-set.
    const inputs: KernelInputs = evidenceJobInputs(prepared.request);
    const now = Date.now();
    const id = randomUUID();
    const row: Submission['row'] = {
      id,
      tenantId: owner.tenantId,
      state: 'submitted',
      stateReason: `evidence for stream ${owner.streamId}`,
      kernel: { name: 'voxel.evidence' },
      inputs,
      vramBytes: evidenceJobBytes(prepared.request),
      gpus: 1,
      priority: 'realtime',
      deadlineAt: new Date(now + this.options.budgetMs),
      estimatedDurationMs: 20,
      timeoutMs: this.options.budgetMs,
      preemptible: false,
      // The stream's frame-set: placed near the stream's state when possible, and governed by
      // the tenant's trackingStreams quota rather than its jobsPerMinute.
      affinity: { sameNodeAsStream: owner.streamId },
      cpuFallbackAllowed: true,
      // A retried frame-set would arrive after the ones behind it: one attempt, then a gap.
      maxAttempts: 1,
    };
    const finished = this.waiters.wait(id, now + this.options.budgetMs);
    this.pending.push({ row });
    if (!this.flushQueued) {
      this.flushQueued = true;
      setImmediate(() => void this.flush());
    }
    return finished.then(
      (job) => outcomeOf(job),
      (error: unknown) => {
        throw error instanceof EvidenceLostError ? error : new EvidenceLostError((error as Error).message);
      },
    );
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.waiters.abandon('the tracker is shutting down');
  }

  private async flush(): Promise<void> {
    this.flushQueued = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    try {
      await insertJobs(
        this.dataSource.manager,
        batch.map((s) => s.row),
      );
      await this.transport.publish('jobs.submitted', { count: batch.length, at: Date.now() });
    } catch (error) {
      this.logger.error({ err: error, jobs: batch.length }, 'evidence jobs not submitted');
      this.waiters.settle(
        batch.map((s) => ({
          id: s.row.id,
          state: 'failed',
          output: null,
          error: { message: `not submitted: ${(error as Error).message}` },
          node_id: null,
        })),
      );
      return;
    }
    this.schedulePoll();
  }

  /**
   * A finished frame-set job keeps its record (state, transitions, node) but not its payload:
   * at 30 frame-sets/s the pixel lists and voxel lists would grow the jobs table by gigabytes
   * a day, and nothing reads them once the result is taken.
   */
  private async dropPayloads(ids: readonly string[]): Promise<void> {
    await this.dataSource.query(
      `UPDATE jobs SET inputs = '{}'::jsonb, output = NULL WHERE id = ANY($1::uuid[])`,
      [ids],
    );
  }

  private schedulePoll(): void {
    if (this.polling || this.closed || this.waiters.size === 0) return;
    this.polling = true;
    this.timer = setTimeout(() => void this.poll(), this.options.pollMs);
  }

  private async poll(): Promise<void> {
    try {
      const ids = this.waiters.ids();
      if (ids.length > 0) {
        const rows: FinishedJobRow[] = await this.dataSource.query(
          `SELECT id, state, output, error, node_id FROM jobs
            WHERE id = ANY($1::uuid[]) AND state IN ('succeeded', 'failed', 'expired', 'cancelled')`,
          [ids],
        );
        this.waiters.settle(rows);
        if (rows.length > 0) {
          await this.dropPayloads(rows.map((row) => row.id)).catch((error: unknown) => {
            this.logger.warn({ err: error, jobs: rows.length }, 'evidence payloads not dropped');
          });
        }
      }
    } catch (error) {
      // The database is unreachable: jobs keep waiting until their budget runs out.
      this.logger.warn({ err: error }, 'evidence results not read; retrying');
    } finally {
      this.waiters.expire(Date.now());
      this.polling = false;
      this.schedulePoll();
    }
  }
}

function outcomeOf(job: FinishedJobRow): EvidenceOutcome {
  try {
    return { result: evidenceResultOf(job.output), node: job.node_id ?? 'unknown' };
  } catch (error) {
    throw new EvidenceLostError(`evidence job ${job.id}: ${(error as Error).message}`);
  }
}
