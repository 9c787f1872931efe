import { describe, expect, it } from '@jest/globals';
import { parseConfig } from '@voxelfleet/config';
import { agentTuning, gpuNodeConfigSchema } from './gpu-node.config.js';

describe('gpu-node configuration', () => {
  it('parses per-kernel fallback budgets and the tuning', () => {
    const config = parseConfig(gpuNodeConfigSchema, {
      FALLBACK_BUDGETS_MS: 'matmul.f32=2000,voxel.evidence=50',
      CPU_SLOTS: '3',
      BATCH_WINDOW_MS: '0',
      TENANT_POOL_SHARE: '0.25',
    });
    const tuning = agentTuning(config);
    expect(tuning.fallbackBudgetsMs).toEqual({ 'matmul.f32': 2000, 'voxel.evidence': 50 });
    expect(tuning).toMatchObject({
      cpuSlots: 3,
      tenantPoolShare: 0.25,
      batchMaxJobs: 1,
      fallbackBudgetDefaultMs: 5000,
    });
  });

  it('names the variable and the reason for a bad value', () => {
    expect(() => parseConfig(gpuNodeConfigSchema, { FALLBACK_BUDGETS_MS: 'saxpy' })).toThrow(
      /FALLBACK_BUDGETS_MS: "saxpy" is not kernel=positive-milliseconds/,
    );
    expect(() => parseConfig(gpuNodeConfigSchema, { TENANT_POOL_SHARE: '0' })).toThrow(
      /TENANT_POOL_SHARE: must be in \(0, 1\]/,
    );
    expect(() => parseConfig(gpuNodeConfigSchema, { CPU_SLOTS: '0' })).toThrow(/CPU_SLOTS/);
  });

  it('keeps the minimum concurrency within the maximum', () => {
    const config = parseConfig(gpuNodeConfigSchema, { MIN_CONCURRENT_JOBS: '9', MAX_CONCURRENT_JOBS: '4' });
    expect(agentTuning(config)).toMatchObject({ minConcurrentJobs: 4, maxConcurrentJobs: 4 });
  });
});
