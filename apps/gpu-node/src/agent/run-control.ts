import type { JobCheckpoint, JobStop, KernelInputs } from '@voxelfleet/contracts';

/** How a run ended on a stop: never a result; the room it held is free once this is reported. */
export interface Stopped {
  stopped: JobStop;
  /** Whether it had begun (a stop may find it waiting for a slot). */
  started: boolean;
  launchesDone: number;
  checkpoint?: JobCheckpoint;
}

export function isStopped(end: object): end is Stopped {
  return 'stopped' in end;
}

/**
 * The stop of one run, as its launches see it. A stop takes effect at the next launch boundary
 * (a launch in flight is never torn: its time limit bounds the wait); a preemption notice for a
 * checkpointable job makes it write a checkpoint there, if the grace has not run out first.
 */
export class RunControl {
  private stop: JobStop | null = null;
  private noticedAtMs = 0;
  private readonly listeners: Array<(stop: JobStop) => void> = [];

  constructor(private readonly checkpointable: boolean) {}

  request(stop: JobStop, nowMs = Date.now()): void {
    if (this.stop) return;
    this.stop = stop;
    this.noticedAtMs = nowMs;
    for (const listener of this.listeners.splice(0)) listener(stop);
  }

  get requested(): JobStop | null {
    return this.stop;
  }

  /** Resolves when a stop is requested (for a run still waiting for a slot). */
  whenRequested(): Promise<JobStop> {
    const stop = this.stop;
    if (stop) return Promise.resolve(stop);
    return new Promise((resolve) => this.listeners.push(resolve));
  }

  /**
   * At a launch boundary: null to go on, or how the run ends here. `inputs` are what the next
   * launch would take, so a checkpoint written here resumes exactly where the run stopped.
   */
  atBoundary(launchesDone: number, inputs: KernelInputs, nowMs = Date.now()): Stopped | null {
    const stop = this.stop;
    if (!stop) return null;
    const checkpoint =
      stop.reason === 'preempted' &&
      this.checkpointable &&
      stop.graceMs > 0 &&
      nowMs - this.noticedAtMs <= stop.graceMs
        ? { launchesDone, inputs, at: nowMs }
        : undefined;
    return { stopped: stop, started: true, launchesDone, ...(checkpoint ? { checkpoint } : {}) };
  }
}

/** A stop message as the control queue delivers it, checked; null when it is not one. */
export function checkStop(raw: unknown): JobStop | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const m = raw as Record<string, unknown>;
  if (typeof m.jobId !== 'string' || m.jobId.length === 0 || m.jobId.length > 64) return null;
  if (!Number.isInteger(m.attempt) || (m.attempt as number) < 1) return null;
  if (m.reason !== 'preempted' && m.reason !== 'cancelled') return null;
  const graceMs = typeof m.graceMs === 'number' && Number.isFinite(m.graceMs) ? Math.max(0, m.graceMs) : 0;
  const at = typeof m.at === 'number' && Number.isFinite(m.at) ? m.at : Date.now();
  return { jobId: m.jobId, attempt: m.attempt as number, reason: m.reason, graceMs, at };
}
