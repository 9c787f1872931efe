/** The per-node (or per-device) failure breaker, as stored between decisions. */
export type BreakerState =
  | { readonly kind: 'closed'; readonly consecutiveFailures: number }
  | { readonly kind: 'open'; readonly openedAtMs: number; readonly consecutiveFailures: number }
  | { readonly kind: 'half-open'; readonly probeInFlight: boolean };

export interface BreakerConfig {
  /** Consecutive failures that open a closed breaker. */
  readonly failureThreshold: number;
  /** How long an open breaker keeps a node out before one probe job is allowed. */
  readonly coolDownMs: number;
}

export const DEFAULT_BREAKER_CONFIG: BreakerConfig = { failureThreshold: 3, coolDownMs: 30_000 };

export const CLOSED_BREAKER: BreakerState = { kind: 'closed', consecutiveFailures: 0 };
