import { describe, expect, it } from '@jest/globals';
import {
  advance,
  cursorFraction,
  EMPTY_TIMELINE,
  frameArrived,
  goLive,
  pause,
  play,
  scrub,
  timeAtFraction,
  type TimelineState,
} from './timeline.js';

const known = (...ts: number[]): TimelineState => ts.reduce(frameArrived, EMPTY_TIMELINE);

describe('timeline', () => {
  it('follows the newest frame while live', () => {
    const state = known(1, 2, 3);
    expect(state).toEqual({ mode: 'live', start: 1, end: 3, cursor: 3 });
    expect(cursorFraction(state)).toBe(1);
  });

  it('holds the cursor while paused, while the range keeps growing', () => {
    const paused = frameArrived(pause(known(0, 1)), 2);
    expect(paused).toMatchObject({ mode: 'paused', cursor: 1, end: 2 });
    expect(cursorFraction(paused)).toBe(0.5);
  });

  it('scrubs within the known range and replays from there back to live', () => {
    let state = scrub(known(10, 20), 5);
    expect(state).toMatchObject({ mode: 'paused', cursor: 10 });
    state = scrub(state, 14);
    expect(state.cursor).toBe(14);
    state = play(state);
    expect(state.mode).toBe('playing');
    state = advance(state, 2);
    expect(state).toMatchObject({ mode: 'playing', cursor: 16 });
    state = advance(state, 10);
    expect(state).toMatchObject({ mode: 'live', cursor: 20 });
  });

  it('plays straight to live at the end, goes live on demand, and ignores scrubs when empty', () => {
    expect(play(pause(known(1, 2)))).toMatchObject({ mode: 'live', cursor: 2 });
    expect(goLive(scrub(known(1, 2), 1))).toMatchObject({ mode: 'live', cursor: 2 });
    expect(scrub(EMPTY_TIMELINE, 3)).toBe(EMPTY_TIMELINE);
    expect(advance(known(1), 5)).toEqual(known(1));
  });

  it('maps slider fractions to times', () => {
    expect(timeAtFraction(known(10, 20), 0.25)).toBe(12.5);
    expect(timeAtFraction(known(10, 20), 7)).toBe(20);
    expect(timeAtFraction(EMPTY_TIMELINE, 0.5)).toBeNull();
  });
});
