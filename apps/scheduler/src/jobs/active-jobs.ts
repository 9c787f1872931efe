import type { RunningJob } from '@voxelfleet/scheduling';

/** A change to the set of placed and running jobs, as it committed (or, for a pass, as decided). */
type Change =
  | { kind: 'hold'; jobs: readonly RunningJob[] }
  | { kind: 'started'; jobs: readonly { jobId: string; startedAtMs: number }[] }
  | { kind: 'release'; jobIds: readonly string[] };

/** How often the view is rebuilt from the table even when nothing seems to have changed. */
export const ACTIVE_RELOAD_MS = 5_000;

/**
 * The leader's view of the jobs that hold room on nodes (placed and running), kept up to date
 * by the writes this instance makes instead of re-read for every pass: reading a few thousand
 * rows per pass was the largest single cost of a pass. The table stays the truth: the view is
 * rebuilt when leadership changes and every ACTIVE_RELOAD_MS, which also catches what other
 * writers did (a cancellation through the gateway). Changes that commit while a rebuild reads
 * are replayed onto its result, so a rebuild never loses a newer change.
 *
 * Each change is idempotent by job id and applied in commit order, so replaying one that the
 * rebuild's read already saw leaves the same set. Entries are frozen: the pass hashes them, and
 * an unchanging entry keeps its canonical text cached (see canonical-json.ts).
 */
export class ActiveJobs {
  private readonly jobs = new Map<string, RunningJob>();
  /** Placements a pass decided whose transaction has not ended: no read of the table sees them yet. */
  private readonly reserved = new Map<string, RunningJob>();
  private loadedAtMs = Number.NEGATIVE_INFINITY;
  private replay: Change[] | null = null;
  private reloading?: Promise<void>;
  private generation = 0;

  constructor(private readonly load: () => Promise<RunningJob[]>) {}

  /**
   * The current set. Never read yet (or invalidated): read from the table first. Older than
   * `ACTIVE_RELOAD_MS`: rebuilt from the table while the caller goes on with what is known.
   */
  async current(nowMs: number): Promise<RunningJob[]> {
    // A rebuild that began before an invalidate does not count: wait for one that began after.
    while (this.loadedAtMs === Number.NEGATIVE_INFINITY) await (this.reloading ?? this.reload(nowMs));
    if (nowMs - this.loadedAtMs >= ACTIVE_RELOAD_MS && !this.reloading) {
      // A failed rebuild is tried again by a later call; the view stays as it was meanwhile.
      this.reload(nowMs).catch(() => undefined);
    }
    return [...this.jobs.values()];
  }

  /** The next `current` reads the table (a new leader must not trust what it knew before). */
  invalidate(): void {
    this.loadedAtMs = Number.NEGATIVE_INFINITY;
    this.generation += 1;
  }

  /** Placements a pass decided, holding room from now until `settle` says how they ended. */
  reserve(jobs: readonly RunningJob[]): void {
    for (const job of jobs) {
      const entry = frozen(job);
      this.reserved.set(entry.jobId, entry);
      this.jobs.set(entry.jobId, entry);
    }
  }

  /**
   * The pass's transaction ended: `committed` hold room (with the times the table gave them),
   * every other reserved job of `reservedIds` does not.
   */
  settle(reservedIds: readonly string[], committed: readonly RunningJob[]): void {
    const reserved = new Map<string, RunningJob>();
    for (const jobId of reservedIds) {
      const entry = this.reserved.get(jobId);
      if (entry) reserved.set(jobId, entry);
      this.reserved.delete(jobId);
    }
    const kept = new Set(committed.map((job) => job.jobId));
    this.release(reservedIds.filter((jobId) => !kept.has(jobId)));
    // A committed placement equal to its reservation keeps the reserved (already hashed) entry.
    this.hold(
      committed.map((job) => {
        const entry = reserved.get(job.jobId);
        return entry && sameHold(entry, job) ? entry : job;
      }),
    );
  }

  /** Jobs that hold room as of a committed write. */
  hold(jobs: readonly RunningJob[]): void {
    this.apply({ kind: 'hold', jobs: jobs.map(frozen) });
  }

  /** Jobs a node reported started: their runtime counts from then. */
  started(jobs: readonly { jobId: string; startedAtMs: number }[]): void {
    this.apply({ kind: 'started', jobs });
  }

  /** Jobs that no longer hold room: finished, requeued, preempted, or a placement that did not commit. */
  release(jobIds: readonly string[]): void {
    this.apply({ kind: 'release', jobIds });
  }

  private apply(change: Change): void {
    this.replay?.push(change);
    switch (change.kind) {
      case 'hold':
        for (const job of change.jobs) this.jobs.set(job.jobId, job);
        break;
      case 'started':
        for (const { jobId, startedAtMs } of change.jobs) {
          const job = this.jobs.get(jobId);
          if (job && job.startedAtMs !== startedAtMs) this.jobs.set(jobId, frozen({ ...job, startedAtMs }));
        }
        break;
      case 'release':
        for (const jobId of change.jobIds) this.jobs.delete(jobId);
        break;
    }
  }

  private reload(nowMs: number): Promise<void> {
    const reloading = this.rebuild(nowMs).finally(() => (this.reloading = undefined));
    this.reloading = reloading;
    return reloading;
  }

  private async rebuild(nowMs: number): Promise<void> {
    const generation = this.generation;
    const changes: Change[] = [];
    this.replay = changes;
    try {
      const rows = await this.load();
      this.jobs.clear();
      for (const job of rows) this.jobs.set(job.jobId, frozen(job));
      for (const job of this.reserved.values()) this.jobs.set(job.jobId, job);
      this.replay = null;
      for (const change of changes) this.apply(change);
      if (generation === this.generation) this.loadedAtMs = nowMs;
    } finally {
      this.replay = null;
    }
  }
}

function sameHold(a: RunningJob, b: RunningJob): boolean {
  return (
    a.startedAtMs === b.startedAtMs &&
    a.nodeId === b.nodeId &&
    a.vramBytesPerDevice === b.vramBytesPerDevice &&
    a.deviceIds.length === b.deviceIds.length &&
    a.deviceIds.every((id, i) => id === b.deviceIds[i]) &&
    a.priority === b.priority &&
    a.preemptible === b.preemptible &&
    a.tenantId === b.tenantId &&
    a.estimatedDurationMs === b.estimatedDurationMs &&
    a.lastCheckpointAtMs === b.lastCheckpointAtMs &&
    a.borrowed === b.borrowed
  );
}

function frozen(job: RunningJob): RunningJob {
  if (Object.isFrozen(job) && Object.isFrozen(job.deviceIds)) return job;
  return Object.freeze({ ...job, deviceIds: Object.freeze([...job.deviceIds]) });
}
