import { CLOSED_BREAKER, type BreakerConfig, type BreakerState } from './circuit-breaker.types.js';

/** Applies the passage of time: an open breaker whose cool-down is over lets one probe through. */
export function advanceBreaker(state: BreakerState, nowMs: number, config: BreakerConfig): BreakerState {
  if (state.kind === 'open' && nowMs - state.openedAtMs >= config.coolDownMs) {
    return { kind: 'half-open', probeInFlight: false };
  }
  return state;
}

export function breakerAllowsPlacement(
  state: BreakerState | undefined,
  nowMs: number,
  config: BreakerConfig,
): boolean {
  if (!state) return true;
  const current = advanceBreaker(state, nowMs, config);
  if (current.kind === 'closed') return true;
  if (current.kind === 'half-open') return !current.probeInFlight;
  return false;
}

/** Called when work is placed; in half-open only the first placement is the probe. */
export function breakerOnPlacement(state: BreakerState, nowMs: number, config: BreakerConfig): BreakerState {
  const current = advanceBreaker(state, nowMs, config);
  return current.kind === 'half-open' ? { kind: 'half-open', probeInFlight: true } : current;
}

export function breakerOnSuccess(_state: BreakerState): BreakerState {
  return CLOSED_BREAKER;
}

export function breakerOnFailure(state: BreakerState, nowMs: number, config: BreakerConfig): BreakerState {
  const current = advanceBreaker(state, nowMs, config);
  switch (current.kind) {
    case 'closed': {
      const failures = current.consecutiveFailures + 1;
      return failures >= config.failureThreshold
        ? { kind: 'open', openedAtMs: nowMs, consecutiveFailures: failures }
        : { kind: 'closed', consecutiveFailures: failures };
    }
    case 'half-open':
      // The probe failed: the node is still bad, so start a fresh cool-down.
      return { kind: 'open', openedAtMs: nowMs, consecutiveFailures: config.failureThreshold };
    case 'open':
      // A late failure from work placed before the breaker opened does not extend the cool-down.
      return { ...current, consecutiveFailures: current.consecutiveFailures + 1 };
  }
}
