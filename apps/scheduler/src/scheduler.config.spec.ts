import { describe, expect, it } from '@jest/globals';
import { DAY_MS } from '@voxelfleet/scheduling';
import { schedulerConfigSchema, settingsFromConfig } from './scheduler.config.js';

const REQUIRED = { DATABASE_URL: 'postgres://voxelfleet@127.0.0.1:5432/voxelfleet' };

describe('scheduler configuration: history retention', () => {
  it('keeps finished jobs 30 days and decisions 14 by default', () => {
    const settings = settingsFromConfig(schedulerConfigSchema.parse(REQUIRED));
    expect(settings.jobRetentionMs).toBe(30 * DAY_MS);
    expect(settings.decisionRetentionMs).toBe(14 * DAY_MS);
    expect(settings.retentionIntervalMs).toBe(600_000);
  });

  it('takes 0 as keep forever', () => {
    const settings = settingsFromConfig(
      schedulerConfigSchema.parse({
        ...REQUIRED,
        SCHEDULER_JOB_RETENTION_DAYS: '0',
        SCHEDULER_DECISION_RETENTION_DAYS: '0',
      }),
    );
    expect(settings.jobRetentionMs).toBe(0);
    expect(settings.decisionRetentionMs).toBe(0);
  });

  it('refuses a job retention under two days, naming the setting', () => {
    const parsed = schedulerConfigSchema.safeParse({ ...REQUIRED, SCHEDULER_JOB_RETENTION_DAYS: '1' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['SCHEDULER_JOB_RETENTION_DAYS']);
    expect(parsed.error?.issues[0]?.message).toMatch(/at least 2/);
    expect(
      schedulerConfigSchema.safeParse({ ...REQUIRED, SCHEDULER_DECISION_RETENTION_DAYS: '-1' }).success,
    ).toBe(false);
  });
});
