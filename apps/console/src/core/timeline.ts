/**
 * What the 3D view shows in time. `live`: the newest frame as it arrives. `paused`: a fixed
 * instant (after pause or a scrub). `playing`: history replayed at real speed from the
 * cursor, becoming live again when it catches up with the newest frame.
 */
export interface TimelineState {
  mode: 'live' | 'paused' | 'playing';
  /** Earliest and latest stream time known (seconds); null before any frame. */
  start: number | null;
  end: number | null;
  /** The instant shown; null before any frame. */
  cursor: number | null;
}

export const EMPTY_TIMELINE: TimelineState = { mode: 'live', start: null, end: null, cursor: null };

/** A frame (live or from history) at time t became known. */
export function frameArrived(state: TimelineState, t: number): TimelineState {
  const start = state.start === null ? t : Math.min(state.start, t);
  const end = state.end === null ? t : Math.max(state.end, t);
  return { ...state, start, end, cursor: state.mode === 'live' ? end : (state.cursor ?? t) };
}

export function pause(state: TimelineState): TimelineState {
  return { ...state, mode: 'paused' };
}

/** Play: live again when at the newest frame, otherwise replay from the cursor. */
export function play(state: TimelineState): TimelineState {
  if (state.end === null || state.cursor === null || state.cursor >= state.end) {
    return { ...state, mode: 'live', cursor: state.end };
  }
  return { ...state, mode: 'playing' };
}

export function goLive(state: TimelineState): TimelineState {
  return { ...state, mode: 'live', cursor: state.end };
}

/** Scrub to t (clamped to what is known); the view holds there until play. */
export function scrub(state: TimelineState, t: number): TimelineState {
  if (state.start === null || state.end === null) return state;
  return { ...state, mode: 'paused', cursor: Math.min(state.end, Math.max(state.start, t)) };
}

/** Advances a replay by dt seconds of wall-clock time. */
export function advance(state: TimelineState, dtSeconds: number): TimelineState {
  if (state.mode !== 'playing' || state.cursor === null || state.end === null) return state;
  const cursor = state.cursor + Math.max(0, dtSeconds);
  return cursor >= state.end ? { ...state, mode: 'live', cursor: state.end } : { ...state, cursor };
}

/** Cursor position as a fraction of the known range (for a slider); 1 when live or empty. */
export function cursorFraction(state: TimelineState): number {
  if (state.start === null || state.end === null || state.cursor === null || state.end === state.start)
    return 1;
  return (state.cursor - state.start) / (state.end - state.start);
}

/** The time at a slider fraction. */
export function timeAtFraction(state: TimelineState, fraction: number): number | null {
  if (state.start === null || state.end === null) return null;
  return state.start + Math.min(1, Math.max(0, fraction)) * (state.end - state.start);
}
