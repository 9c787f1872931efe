import { describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';

import { discoverDevices, readTelemetry } from './discovery.js';
import { NoDeviceError } from './errors.js';
import { loadAddon } from './native.js';
import { CudaDevice } from './runtime/cuda-device.js';
import { createKernelRunner } from './runtime/create-runner.js';

// CI machines have nvcc (so the addon is built) but no GPU and no driver.
const gpuHere = existsSync('/dev/nvidiactl');

describe('discovery without a GPU', () => {
  it('loads the addon when it was built, without crashing on a driverless machine', () => {
    const load = loadAddon();
    if (load.addon) expect(typeof load.addon.probe).toBe('function');
    else expect(load.reason).toMatch(/not built|failed to load/);
  });

  (gpuHere ? it.skip : it)('answers "no device" with the reason', () => {
    const d = discoverDevices();
    expect(d.available).toBe(false);
    expect(d.devices).toEqual([]);
    expect(d.reason).toEqual(expect.any(String));
    expect(d.reason!.length).toBeGreaterThan(5);
    expect(readTelemetry('GPU-00000000-0000-0000-0000-000000000000').available).toBe(false);
    expect(() => CudaDevice.open(0)).toThrow(NoDeviceError);
    const choice = createKernelRunner('t');
    expect(choice.runner.where).toBe('cpu');
    expect(choice.fallbackReason).toBe(d.reason);
  });
});
