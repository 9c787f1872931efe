import { describe, expect, it } from '@jest/globals';
import { planAfterDeviceFailure, planRun } from './run-plan.js';

const HEALTHY = [
  { index: 0, healthy: true },
  { index: 1, healthy: false, reason: 'Xid 79' },
];

describe('planRun', () => {
  it('runs a CPU-placed job on the CPU, not as a fallback', () => {
    expect(planRun({ cpuFallbackAllowed: false, custom: false }, [])).toEqual({
      where: 'cpu',
      fallbackReason: null,
    });
  });

  it('runs on a healthy named device', () => {
    expect(planRun({ deviceIndex: 0, cpuFallbackAllowed: false, custom: false }, HEALTHY)).toEqual({
      where: 'cuda',
      deviceIndex: 0,
    });
  });

  it('falls back only when allowed, saying why', () => {
    expect(planRun({ deviceIndex: 0, cpuFallbackAllowed: true, custom: false }, [])).toEqual({
      where: 'cpu',
      fallbackReason: 'this node has no CUDA device',
    });
    expect(planRun({ deviceIndex: 1, cpuFallbackAllowed: true, custom: false }, HEALTHY)).toEqual({
      where: 'cpu',
      fallbackReason: 'device 1 is out of service: Xid 79',
    });
    expect(planRun({ deviceIndex: 5, cpuFallbackAllowed: true, custom: false }, HEALTHY)).toMatchObject({
      fallbackReason: 'this node has no device 5',
    });
    expect(planRun({ deviceIndex: 0, cpuFallbackAllowed: false, custom: false }, [])).toEqual({
      where: 'nowhere',
      error: {
        code: 'fallback-not-allowed',
        message: 'this node has no CUDA device, and the job does not allow CPU fallback',
        retryable: true,
      },
    });
  });

  it('never puts a custom kernel on the CPU, fallback allowed or not', () => {
    for (const cpuFallbackAllowed of [true, false]) {
      expect(planRun({ deviceIndex: 1, cpuFallbackAllowed, custom: true }, HEALTHY)).toMatchObject({
        where: 'nowhere',
        error: { code: 'kernel-rejected', retryable: true },
      });
      expect(planRun({ cpuFallbackAllowed, custom: true }, HEALTHY)).toMatchObject({
        where: 'nowhere',
        error: { code: 'kernel-rejected', retryable: false },
      });
    }
    expect(planRun({ deviceIndex: 0, cpuFallbackAllowed: true, custom: true }, HEALTHY)).toEqual({
      where: 'cuda',
      deviceIndex: 0,
    });
  });
});

describe('planAfterDeviceFailure', () => {
  it('falls back after a lost device or a hard OOM when allowed', () => {
    expect(
      planAfterDeviceFailure(
        { code: 'device-lost', message: 'sticky', deviceIndex: 0 },
        { cpuFallbackAllowed: true, custom: false },
      ),
    ).toEqual({
      where: 'cpu',
      fallbackReason: 'device 0 was lost mid-run: sticky',
    });
    expect(
      planAfterDeviceFailure(
        { code: 'device-oom', message: 'full', deviceIndex: 2 },
        { cpuFallbackAllowed: true, custom: false },
      ),
    ).toEqual({
      where: 'cpu',
      fallbackReason: 'device 2 ran out of memory: full',
    });
  });

  it('otherwise fails with the device error, retryable elsewhere', () => {
    expect(
      planAfterDeviceFailure(
        { code: 'device-oom', message: 'full', deviceIndex: 0 },
        { cpuFallbackAllowed: false, custom: false },
      ),
    ).toMatchObject({
      where: 'nowhere',
      error: { code: 'device-oom', retryable: true },
    });
    expect(
      planAfterDeviceFailure(
        { code: 'device-lost', message: 'x', deviceIndex: 0 },
        { cpuFallbackAllowed: true, custom: true },
      ),
    ).toMatchObject({
      where: 'nowhere',
      error: { code: 'device-lost' },
    });
  });
});
