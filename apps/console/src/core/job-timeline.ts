/** A job's state change as the gateway lists it (GET /v1/jobs/:id `transitions`). */
export interface Transition {
  from: string | null;
  to: string;
  at: string;
  reason: string;
  nodeId: string | null;
  attempt: number;
}

export interface TimelineSegment {
  state: string;
  reason: string;
  nodeId: string | null;
  attempt: number;
  startedAt: string;
  /** null while the job is still in this state. */
  endedAt: string | null;
  durationMs: number;
  /** Share of the whole timeline, for a bar of proportional widths. */
  fraction: number;
}

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled', 'expired', 'skipped']);

/**
 * Transitions → the time the job spent in each state. The last state runs to `nowMs` unless
 * it is terminal (then it has no length).
 */
export function jobTimeline(transitions: readonly Transition[], nowMs: number): TimelineSegment[] {
  const ordered = [...transitions].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const segments = ordered.map((transition, i) => {
    const next = ordered[i + 1];
    const start = Date.parse(transition.at);
    const end = next ? Date.parse(next.at) : TERMINAL.has(transition.to) ? start : nowMs;
    return {
      state: transition.to,
      reason: transition.reason,
      nodeId: transition.nodeId,
      attempt: transition.attempt,
      startedAt: transition.at,
      endedAt: next ? next.at : TERMINAL.has(transition.to) ? transition.at : null,
      durationMs: Math.max(0, end - start),
      fraction: 0,
    };
  });
  const total = segments.reduce((sum, segment) => sum + segment.durationMs, 0);
  for (const segment of segments)
    segment.fraction = total > 0 ? segment.durationMs / total : 1 / segments.length;
  return segments;
}
