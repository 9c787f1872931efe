import { describe, expect, it } from '@jest/globals';
import { budgetFor, cpuRunLimit, CpuCostModel, parseBudgets, refuseOverBudget } from './fallback-budget.js';

describe('fallback budgets', () => {
  it('parses kernel=ms lists and refuses anything else', () => {
    expect(parseBudgets('')).toEqual({});
    expect(parseBudgets(' matmul.f32=2000, voxel.evidence=50 ')).toEqual({
      'matmul.f32': 2000,
      'voxel.evidence': 50,
    });
    expect(() => parseBudgets('matmul.f32')).toThrow(/"matmul.f32" is not kernel=positive-milliseconds/);
    expect(() => parseBudgets('saxpy=0')).toThrow(/saxpy=0/);
    expect(() => parseBudgets('saxpy=-5')).toThrow();
  });

  it('falls back to the default budget for kernels without one', () => {
    const budgets = { defaultMs: 1000, byKernel: { saxpy: 10 } };
    expect(budgetFor(budgets, 'saxpy')).toBe(10);
    expect(budgetFor(budgets, 'reduce.sum')).toBe(1000);
  });

  it('cuts a fallback at the budget when that comes before the timeout', () => {
    expect(cpuRunLimit(5000, true, 100)).toEqual({ limitMs: 100, onExpiry: 'fallback-over-budget' });
    expect(cpuRunLimit(50, true, 100)).toEqual({ limitMs: 50, onExpiry: 'timeout' });
    // A job placed on the CPU has no fallback budget, only its timeout.
    expect(cpuRunLimit(5000, false, 100)).toEqual({ limitMs: 5000, onExpiry: 'timeout' });
  });
});

describe('CpuCostModel', () => {
  it('predicts only after enough measurable runs, scaling by work units', () => {
    const m = new CpuCostModel(5, 0.5);
    m.observe('matmul.f32', 1000, 1); // too short to measure: ignored
    expect(m.predictMs('matmul.f32', 1000)).toBeNull();
    m.observe('matmul.f32', 1000, 10);
    m.observe('matmul.f32', 2000, 20);
    expect(m.predictMs('matmul.f32', 1000)).toBeNull();
    m.observe('matmul.f32', 1000, 10);
    expect(m.predictMs('matmul.f32', 100_000)).toBeCloseTo(1000, 6);
    expect(m.predictMs('saxpy', 10)).toBeNull();
  });

  it('follows a node that got slower', () => {
    const m = new CpuCostModel(1, 0.5);
    for (let i = 0; i < 3; i++) m.observe('saxpy', 100, 10);
    m.observe('saxpy', 100, 30);
    expect(m.predictMs('saxpy', 100)).toBeCloseTo(20, 6);
  });

  it('refuses at once only when the prediction is well over budget', () => {
    expect(refuseOverBudget(null, 10)).toBe(false);
    expect(refuseOverBudget(19, 10)).toBe(false);
    expect(refuseOverBudget(21, 10)).toBe(true);
  });
});
