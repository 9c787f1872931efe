import { describe, expect, it } from '@jest/globals';
import { livenessOf } from './node-liveness.js';

describe('livenessOf', () => {
  it('keeps the reported state while heartbeats are fresh', () => {
    expect(livenessOf('ready', 1_000, 5_999, 5_000)).toBe('ready');
    expect(livenessOf('draining', 1_000, 2_000, 5_000)).toBe('draining');
  });
  it('marks a node lost once the timeout has passed without a heartbeat', () => {
    expect(livenessOf('ready', 1_000, 6_000, 5_000)).toBe('lost');
    expect(livenessOf('draining', 1_000, 60_000, 5_000)).toBe('lost');
  });
});
