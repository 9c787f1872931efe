import { describe, expect, it } from '@jest/globals';
import { dcgmSamples, type DeviceMetricsInput } from './dcgm-metrics.js';
import { capabilityProfile, fatalXid, parseXids } from './device-profile.js';

const H100: DeviceMetricsInput = {
  index: 0,
  uuid: 'GPU-21ff32f4',
  modelName: 'NVIDIA H100 80GB HBM3',
  memoryTotalBytes: 80 * 2 ** 30,
  memoryFreeBytes: 70 * 2 ** 30,
  telemetry: {
    available: true,
    reason: null,
    utilizationGpuPct: 87,
    temperatureC: 61,
    powerW: 412.5,
    smClockMHz: 1980,
    memoryUsedBytes: 12 * 2 ** 30,
    memoryTotalBytes: 80 * 2 ** 30,
  },
  lastXid: 0,
};

describe('dcgmSamples', () => {
  it('maps telemetry to dcgm-exporter names, units and labels', () => {
    const samples = dcgmSamples('gpu-host-1', [H100]);
    const byField = Object.fromEntries(samples.map((s) => [s.field, s.value]));
    expect(byField).toEqual({
      DCGM_FI_DEV_GPU_UTIL: 87,
      DCGM_FI_DEV_FB_USED: 12 * 1024,
      DCGM_FI_DEV_FB_FREE: 68 * 1024,
      DCGM_FI_DEV_GPU_TEMP: 61,
      DCGM_FI_DEV_POWER_USAGE: 412.5,
      DCGM_FI_DEV_SM_CLOCK: 1980,
      DCGM_FI_DEV_XID_ERRORS: 0,
    });
    expect(samples[0]!.labels).toEqual({
      gpu: '0',
      UUID: 'GPU-21ff32f4',
      modelName: 'NVIDIA H100 80GB HBM3',
      Hostname: 'gpu-host-1',
    });
  });

  it('leaves out what NVML cannot say, using the runtime for memory', () => {
    const samples = dcgmSamples('h', [
      { ...H100, index: 3, telemetry: { available: false, reason: 'no NVML' }, lastXid: 79 },
    ]);
    const byField = Object.fromEntries(samples.map((s) => [s.field, s.value]));
    expect(byField).toEqual({
      DCGM_FI_DEV_FB_USED: 10 * 1024,
      DCGM_FI_DEV_FB_FREE: 70 * 1024,
      DCGM_FI_DEV_XID_ERRORS: 79,
    });
    expect(samples.every((s) => s.labels.gpu === '3')).toBe(true);
  });

  it('reports one series set per device, none without devices', () => {
    expect(dcgmSamples('h', [])).toEqual([]);
    const two = dcgmSamples('h', [H100, { ...H100, index: 1, uuid: 'GPU-2' }]);
    expect(new Set(two.map((s) => s.labels.UUID))).toEqual(new Set(['GPU-21ff32f4', 'GPU-2']));
  });
});

describe('capabilityProfile', () => {
  it('names architecture, precisions and tensor cores from the compute capability', () => {
    expect(capabilityProfile('9.0')).toEqual({
      vendor: 'nvidia',
      architecture: 'hopper',
      computeCapability: { major: 9, minor: 0 },
      precisions: ['fp64', 'fp32', 'fp16', 'int8', 'tf32', 'bf16', 'fp8'],
      tensorCores: true,
    });
    expect(capabilityProfile('8.6')).toMatchObject({
      architecture: 'ampere',
      precisions: ['fp64', 'fp32', 'fp16', 'int8', 'tf32', 'bf16'],
    });
    expect(capabilityProfile('8.9')).toMatchObject({ architecture: 'ada' });
    expect(capabilityProfile('7.5')).toMatchObject({ architecture: 'turing', tensorCores: true });
    expect(capabilityProfile('6.0')).toMatchObject({
      architecture: 'pascal',
      tensorCores: false,
      precisions: ['fp64', 'fp32', 'fp16'],
    });
    expect(capabilityProfile('10.0')).toMatchObject({ architecture: 'blackwell' });
  });
});

describe('Xids', () => {
  it('parses the addon list and picks out the fatal ones', () => {
    expect(parseXids(undefined)).toEqual([]);
    expect(parseXids('13, 79,x,0')).toEqual([13, 79]);
    expect(fatalXid([13, 31])).toBeNull();
    expect(fatalXid([13, 79, 48])).toBe(79);
  });
});
