import { seededUnit } from './seeded-random.js';

/** Errors that another attempt cannot fix; the job fails at once. */
export const DEFAULT_NON_RETRYABLE = [
  'bad-input',
  'bad-signature',
  'kernel-not-found',
  'permission-denied',
] as const;

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Share of the delay drawn at random (0 = fixed, 1 = full jitter). */
  readonly jitter: number;
  readonly nonRetryable: readonly string[];
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 60_000,
  jitter: 0.5,
  nonRetryable: DEFAULT_NON_RETRYABLE,
};

export interface FailedAttempt {
  readonly jobId: string;
  /** Attempts made so far, the failed one included (1 after the first failure). */
  readonly attempts: number;
  readonly errorClass: string;
  readonly failedAtMs: number;
}

export type RetryDecision =
  | { readonly retry: true; readonly delayMs: number; readonly retryAtMs: number; readonly reason: string }
  | { readonly retry: false; readonly reason: string };

/**
 * Exponential backoff, capped, with seeded jitter: delay = cap(base·2^(n-1)) scaled into
 * [1 - jitter, 1]. Jitter spreads retries of jobs that failed together; the seed keeps a
 * replay exact.
 */
export function decideRetry(
  failure: FailedAttempt,
  policy: RetryPolicy,
  seed: number | string,
): RetryDecision {
  if (policy.nonRetryable.includes(failure.errorClass)) {
    return { retry: false, reason: `${failure.errorClass} is not retryable` };
  }
  if (failure.attempts >= policy.maxAttempts) {
    return { retry: false, reason: `attempt limit reached (${failure.attempts} of ${policy.maxAttempts})` };
  }
  const exponent = Math.max(0, failure.attempts - 1);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * Math.pow(2, exponent));
  const jitter = Math.min(1, Math.max(0, policy.jitter));
  const draw = seededUnit(seed, 'retry', failure.jobId, failure.attempts);
  const delayMs = Math.round(ceiling * (1 - jitter * draw));
  return {
    retry: true,
    delayMs,
    retryAtMs: failure.failedAtMs + delayMs,
    reason: `attempt ${failure.attempts + 1} of ${policy.maxAttempts} after ${delayMs} ms (${failure.errorClass})`,
  };
}
