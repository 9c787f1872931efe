import { describe, expect, it } from '@jest/globals';
import { isoTime } from './iso-time.js';

describe('isoTime', () => {
  it('is toISOString, asked twice in a row or not', () => {
    for (const ms of [0, 1_795_310_656_710, 1_795_310_656_710, 1_795_310_656_711, 0, -1])
      expect(isoTime(ms)).toBe(new Date(ms).toISOString());
  });
});
