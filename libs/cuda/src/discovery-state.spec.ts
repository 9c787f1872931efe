import { describe, expect, it } from '@jest/globals';
import { classifyProbe } from './discovery-state.js';

// The messages are the addon's own (`describe(err, where)` in native/common.h).
const insufficient =
  'cudaGetDeviceCount: cudaErrorInsufficientDriver (CUDA driver version is insufficient for CUDA runtime version)';

describe('classifyProbe', () => {
  it('is ready with devices', () => {
    expect(
      classifyProbe({ available: true, reason: null, driverVersion: 13000, runtimeVersion: 13000 }),
    ).toEqual({ state: 'ready', reason: null });
  });

  it('says "no driver" when no driver library answered (version 0), whatever CUDA calls it', () => {
    const v = classifyProbe({
      available: false,
      reason: insufficient,
      driverVersion: 0,
      runtimeVersion: 13000,
    });
    expect(v.state).toBe('no-driver');
    expect(v.reason).toBe(`no driver: no NVIDIA driver (libcuda) found; ${insufficient}`);
  });

  it('says the driver is too old when one answered with an older CUDA version', () => {
    const v = classifyProbe({
      available: false,
      reason: insufficient,
      driverVersion: 12020,
      runtimeVersion: 13000,
    });
    expect(v.state).toBe('driver-too-old');
    expect(v.reason).toMatch(
      /^driver too old: the driver supports CUDA 12\.2, the addon's runtime needs 13\.0; /,
    );
  });

  it('says "no device" when the driver sees none', () => {
    for (const reason of [
      'cudaGetDeviceCount: cudaErrorNoDevice (no CUDA-capable device is detected)',
      'cudaGetDeviceCount: 0 devices',
    ]) {
      expect(
        classifyProbe({ available: false, reason, driverVersion: 13000, runtimeVersion: 13000 }),
      ).toEqual({
        state: 'no-device',
        reason: `no device: ${reason}`,
      });
    }
  });

  it("keeps any other driver failure as a device error with CUDA's message", () => {
    const reason =
      'cudaGetDeviceCount: cudaErrorDevicesUnavailable (CUDA-capable device(s) is/are busy or unavailable)';
    expect(classifyProbe({ available: false, reason, driverVersion: 13000, runtimeVersion: 13000 })).toEqual({
      state: 'device-error',
      reason: `device error: ${reason}`,
    });
  });
});
