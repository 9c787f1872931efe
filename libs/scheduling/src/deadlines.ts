import type { JobSpec } from './snapshot.types.js';

export interface DeadlineVerdict {
  readonly jobId: string;
  readonly verdict: 'expired' | 'cannot-finish';
  readonly reason: string;
}

/**
 * Queued jobs whose deadline has passed (to move to `expired`), and those that can no longer
 * finish in time by their own estimate. The latter are only reported: a late result may
 * still be worth having, and the submitter chose the deadline, not us.
 */
export function checkDeadlines(queue: readonly JobSpec[], nowMs: number): DeadlineVerdict[] {
  const verdicts: DeadlineVerdict[] = [];
  for (const job of queue) {
    if (job.deadlineMs === undefined) continue;
    if (job.deadlineMs <= nowMs) {
      verdicts.push({
        jobId: job.id,
        verdict: 'expired',
        reason: `deadline passed ${nowMs - job.deadlineMs} ms ago`,
      });
    } else if (job.estimatedDurationMs !== undefined && nowMs + job.estimatedDurationMs > job.deadlineMs) {
      const late = nowMs + job.estimatedDurationMs - job.deadlineMs;
      verdicts.push({
        jobId: job.id,
        verdict: 'cannot-finish',
        reason: `would finish ${late} ms after its deadline if started now`,
      });
    }
  }
  return verdicts;
}
