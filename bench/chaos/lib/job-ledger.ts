/** What the database says about one job at the end of a run. */
export interface JobRow {
  id: string;
  state: string;
  reason: string;
}

/** One row of job_transitions: the state a job moved to. */
export interface TransitionRow {
  jobId: string;
  toState: string;
}

export interface LedgerVerdict {
  /** Jobs the gateway answered 201 for. */
  accepted: number;
  succeeded: number;
  /** Accepted jobs that ended `failed` or `cancelled`, with the reason the scheduler wrote. */
  failed: { id: string; state: string; reason: string }[];
  /** Accepted jobs with no row, or still not finished after the drain. */
  lost: string[];
  /** Jobs with more than one move to `succeeded`: a result recorded twice. */
  duplicateCompletions: string[];
  /** Jobs that were started more than once (a retry or a requeue after a fault): allowed, reported. */
  restarted: number;
  /** Rows the client never saw a 201 for (the answer was lost in a fault); they must finish too. */
  unacknowledged: { total: number; unfinished: string[] };
}

const FINAL = new Set(['succeeded', 'failed', 'cancelled', 'expired', 'skipped']);

/**
 * Decides, from the client's own list of accepted ids and the database's rows and
 * transitions, how many jobs a run lost and how many it completed twice.
 */
export function judgeLedger(
  acceptedIds: Iterable<string>,
  rows: readonly JobRow[],
  transitions: readonly TransitionRow[],
): LedgerVerdict {
  const accepted = new Set(acceptedIds);
  const byId = new Map(rows.map((row) => [row.id, row]));
  const succeededMoves = new Map<string, number>();
  const runningMoves = new Map<string, number>();
  for (const t of transitions) {
    if (t.toState === 'succeeded') succeededMoves.set(t.jobId, (succeededMoves.get(t.jobId) ?? 0) + 1);
    if (t.toState === 'running') runningMoves.set(t.jobId, (runningMoves.get(t.jobId) ?? 0) + 1);
  }
  const verdict: LedgerVerdict = {
    accepted: accepted.size,
    succeeded: 0,
    failed: [],
    lost: [],
    duplicateCompletions: [],
    restarted: 0,
    unacknowledged: { total: 0, unfinished: [] },
  };
  for (const id of accepted) {
    const row = byId.get(id);
    if (!row || !FINAL.has(row.state)) verdict.lost.push(id);
    else if (row.state === 'succeeded') verdict.succeeded += 1;
    else verdict.failed.push({ id, state: row.state, reason: row.reason });
  }
  for (const row of rows) {
    if (accepted.has(row.id)) continue;
    verdict.unacknowledged.total += 1;
    if (!FINAL.has(row.state)) verdict.unacknowledged.unfinished.push(row.id);
  }
  for (const [id, count] of succeededMoves) if (count > 1) verdict.duplicateCompletions.push(id);
  for (const count of runningMoves.values()) if (count > 1) verdict.restarted += 1;
  return verdict;
}
