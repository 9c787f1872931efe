/** A finished job as the tracker reads it back from the jobs table. */
export interface FinishedJobRow {
  id: string;
  state: 'succeeded' | 'failed' | 'expired' | 'cancelled';
  output: unknown;
  error: { code?: string; message?: string } | null;
  node_id: string | null;
}

interface Waiter {
  deadline: number;
  resolve(row: FinishedJobRow & { state: 'succeeded' }): void;
  reject(reason: string): void;
}

/**
 * Jobs the tracker is waiting on, each with a deadline. Pure bookkeeping: the caller polls the
 * database for the ids and hands finished rows to `settle`, and calls `expire` with the time.
 */
export class JobWaiters {
  private readonly waiting = new Map<string, Waiter>();

  get size(): number {
    return this.waiting.size;
  }

  ids(): string[] {
    return [...this.waiting.keys()];
  }

  wait(id: string, deadline: number): Promise<FinishedJobRow & { state: 'succeeded' }> {
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { deadline, resolve, reject: (reason) => reject(new Error(reason)) });
    });
  }

  /** Resolves succeeded jobs, rejects the others with their error; unknown ids are ignored. */
  settle(rows: readonly FinishedJobRow[]): void {
    for (const row of rows) {
      const waiter = this.waiting.get(row.id);
      if (!waiter) continue;
      this.waiting.delete(row.id);
      if (row.state === 'succeeded') waiter.resolve({ ...row, state: 'succeeded' });
      else {
        const why = row.error?.message ?? row.error?.code ?? 'no reason given';
        waiter.reject(
          `evidence job ${row.id} ${row.state}${row.node_id ? ` on ${row.node_id}` : ''}: ${why}`,
        );
      }
    }
  }

  /** Gives up on jobs past their deadline (their own deadline expires them in the scheduler). */
  expire(now: number): void {
    for (const [id, waiter] of this.waiting) {
      if (waiter.deadline > now) continue;
      this.waiting.delete(id);
      waiter.reject(`evidence job ${id}: no result within its time budget`);
    }
  }

  /** Rejects everything (shutdown). */
  abandon(reason: string): void {
    for (const waiter of this.waiting.values()) waiter.reject(reason);
    this.waiting.clear();
  }
}
