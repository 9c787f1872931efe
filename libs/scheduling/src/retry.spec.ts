import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { decideRetry, DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js';

const policy: RetryPolicy = {
  ...DEFAULT_RETRY_POLICY,
  baseDelayMs: 1000,
  maxDelayMs: 10_000,
  jitter: 0.5,
  maxAttempts: 6,
};
const failure = { jobId: 'job-1', errorClass: 'device-lost', failedAtMs: 5_000 };

describe('decideRetry', () => {
  it('fails at once on non-retryable errors', () => {
    expect(decideRetry({ ...failure, attempts: 1, errorClass: 'bad-signature' }, policy, 1)).toEqual({
      retry: false,
      reason: 'bad-signature is not retryable',
    });
  });

  it('stops at the attempt limit', () => {
    expect(decideRetry({ ...failure, attempts: 6 }, policy, 1)).toMatchObject({
      retry: false,
      reason: 'attempt limit reached (6 of 6)',
    });
    expect(decideRetry({ ...failure, attempts: 5 }, policy, 1).retry).toBe(true);
  });

  it('backs off exponentially up to the cap, within the jitter band', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer(), (attempts, seed) => {
        const decision = decideRetry({ ...failure, attempts }, policy, seed);
        if (!decision.retry) throw new Error('expected a retry');
        const ceiling = Math.min(10_000, 1000 * 2 ** (attempts - 1));
        expect(decision.delayMs).toBeLessThanOrEqual(ceiling);
        expect(decision.delayMs).toBeGreaterThanOrEqual(ceiling * 0.5);
        expect(decision.retryAtMs).toBe(5_000 + decision.delayMs);
      }),
    );
  });

  it('is reproducible for a seed and spreads jobs that failed together', () => {
    const once = decideRetry({ ...failure, attempts: 3 }, policy, 'seed');
    expect(decideRetry({ ...failure, attempts: 3 }, policy, 'seed')).toEqual(once);
    const delays = new Set(
      Array.from({ length: 20 }, (_, i) => {
        const d = decideRetry({ ...failure, jobId: `job-${i}`, attempts: 3 }, policy, 'seed');
        return d.retry ? d.delayMs : -1;
      }),
    );
    expect(delays.size).toBeGreaterThan(10);
  });

  it('without jitter gives the plain exponential series', () => {
    const fixed = { ...policy, jitter: 0 };
    const delays = [1, 2, 3, 4, 5].map((attempts) => {
      const d = decideRetry({ ...failure, attempts }, fixed, 0);
      return d.retry ? d.delayMs : -1;
    });
    expect(delays).toEqual([1000, 2000, 4000, 8000, 10_000]);
  });
});
