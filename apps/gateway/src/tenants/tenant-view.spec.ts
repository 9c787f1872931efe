import { describe, expect, it } from '@jest/globals';
import type { TenantQuota } from '@voxelfleet/scheduling';
import { ceilingViolations } from './tenant-view.js';

const ceiling: TenantQuota = {
  vramBytesPerDevice: 100,
  vramBytesTotal: 200,
  gpus: 2,
  concurrentJobs: 4,
  jobsPerMinute: 60,
  gpuSecondsPerDay: 3600,
  trackingStreams: 1,
};

describe('ceilingViolations', () => {
  it('names every override above the edition ceiling and accepts equal ones', () => {
    expect(ceilingViolations({ gpus: 2, trackingStreams: 1 }, ceiling)).toEqual([]);
    expect(ceilingViolations({ gpus: 3, vramBytesTotal: 201, jobsPerMinute: 1 }, ceiling)).toEqual([
      'quota.vramBytesTotal: 201 exceeds the edition ceiling 200',
      'quota.gpus: 3 exceeds the edition ceiling 2',
    ]);
  });
});
