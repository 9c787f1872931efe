import { describe, expect, it } from '@jest/globals';
import {
  advanceBreaker,
  breakerAllowsPlacement,
  breakerOnFailure,
  breakerOnPlacement,
  breakerOnSuccess,
} from './circuit-breaker.js';
import { CLOSED_BREAKER, type BreakerConfig, type BreakerState } from './circuit-breaker.types.js';

const config: BreakerConfig = { failureThreshold: 3, coolDownMs: 10_000 };

function failTimes(times: number, state: BreakerState = CLOSED_BREAKER, atMs = 0): BreakerState {
  let current = state;
  for (let i = 0; i < times; i += 1) current = breakerOnFailure(current, atMs, config);
  return current;
}

describe('circuit breaker', () => {
  it('opens after N consecutive failures, not before', () => {
    expect(failTimes(2)).toEqual({ kind: 'closed', consecutiveFailures: 2 });
    expect(failTimes(3)).toEqual({ kind: 'open', openedAtMs: 0, consecutiveFailures: 3 });
    expect(breakerAllowsPlacement(failTimes(3), 5_000, config)).toBe(false);
  });

  it('a success resets the count', () => {
    expect(failTimes(2, breakerOnSuccess(failTimes(2)))).toEqual({ kind: 'closed', consecutiveFailures: 2 });
  });

  it('goes half-open after the cool-down and lets exactly one probe through', () => {
    const open = failTimes(3);
    expect(advanceBreaker(open, 9_999, config).kind).toBe('open');
    expect(advanceBreaker(open, 10_000, config)).toEqual({ kind: 'half-open', probeInFlight: false });
    expect(breakerAllowsPlacement(open, 10_000, config)).toBe(true);
    const probing = breakerOnPlacement(open, 10_000, config);
    expect(breakerAllowsPlacement(probing, 10_001, config)).toBe(false);
  });

  it('closes on a successful probe and reopens with a fresh cool-down on a failed one', () => {
    const probing = breakerOnPlacement(failTimes(3), 10_000, config);
    expect(breakerOnSuccess(probing)).toEqual(CLOSED_BREAKER);
    const reopened = breakerOnFailure(probing, 12_000, config);
    expect(reopened).toMatchObject({ kind: 'open', openedAtMs: 12_000 });
    expect(breakerAllowsPlacement(reopened, 21_000, config)).toBe(false);
    expect(breakerAllowsPlacement(reopened, 22_000, config)).toBe(true);
  });

  it('a late failure while open does not extend the cool-down', () => {
    const open = failTimes(3);
    expect(breakerOnFailure(open, 5_000, config)).toMatchObject({
      kind: 'open',
      openedAtMs: 0,
      consecutiveFailures: 4,
    });
  });

  it('placing on a closed breaker leaves it unchanged', () => {
    expect(breakerOnPlacement(CLOSED_BREAKER, 0, config)).toBe(CLOSED_BREAKER);
    expect(breakerAllowsPlacement(undefined, 0, config)).toBe(true);
  });
});
