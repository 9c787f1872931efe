import { describe, expect, it } from '@jest/globals';
import { JOBS_PER_NODE_MESSAGE, MAX_PASS_GROWTH, passBatch } from './pass-size.js';

describe('passBatch', () => {
  it('keeps the configured batch without a backlog, whatever the fleet', () => {
    expect(passBatch(1_000, 500, false)).toBe(1_000);
  });

  it('grows with the fleet while a backlog lasts, up to the cap', () => {
    expect(passBatch(1_000, 10, true)).toBe(1_000);
    expect(passBatch(1_000, 50, true)).toBe(50 * JOBS_PER_NODE_MESSAGE);
    expect(passBatch(1_000, 100, true)).toBe(MAX_PASS_GROWTH * 1_000);
    expect(passBatch(1_000, 10_000, true)).toBe(MAX_PASS_GROWTH * 1_000);
  });
});
