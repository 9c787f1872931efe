import { describe, expect, it } from '@jest/globals';
import { createRandom, seededDrawAfter, seededUnit, seededUnitsAfter } from './seeded-random.js';

describe('seeded draws', () => {
  // Decision logs are replayed against these draws: the values must never change.
  it('keeps the draws a recorded trace was made with', () => {
    expect(seededUnit('voxelfleet', 'place', 'job-1', 'node-a')).toBe(0.6812228665221483);
    expect(seededUnit(42, 'cpu', 'j', 7)).toBe(0.07259437814354897);
    expect(seededUnit('', '')).toBe(0.6112444521859288);
    expect(seededUnitsAfter('voxelfleet', 'place', 'job-1')('node-a')).toBe(0.6812228665221483);
    expect(seededUnitsAfter(42, 'cpu', 'j')(7)).toBe(0.07259437814354897);
    expect(seededDrawAfter('voxelfleet', 'place', 'job-1')('node-a')).toBe(0.6812228665221483);
    expect(createRandom('s')()).toBe(0.705723452847451);
  });
});
