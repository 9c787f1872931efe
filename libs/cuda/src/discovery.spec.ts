import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ADDON_RELATIVE_PATH } from './addon-path.js';

import { discoverDevices, readTelemetry } from './discovery.js';
import { NoDeviceError } from './errors.js';
import { loadAddon } from './native.js';
import { CudaDevice } from './runtime/cuda-device.js';
import { createKernelRunner } from './runtime/create-runner.js';

// CI machines have nvcc (so the addon is built) but no GPU and no driver.
const gpuHere = existsSync('/dev/nvidiactl');
const built = join(resolve(import.meta.dirname, '../../..'), ADDON_RELATIVE_PATH);
const libcudaHere = /\blibcuda\.so\.1\b/.test(execFileSync('/sbin/ldconfig', ['-p'], { encoding: 'utf8' }));

describe('discovery without a GPU', () => {
  it('loads the addon when it was built, without crashing on a driverless machine', () => {
    const load = loadAddon();
    if (existsSync(built)) {
      expect(load.path).toBe(built);
      expect(typeof load.addon?.probe).toBe('function');
    } else {
      expect(load).toMatchObject({ addon: null, state: 'addon-not-built' });
    }
  });

  (gpuHere ? it.skip : it)('answers "no device" with the reason', () => {
    const d = discoverDevices();
    expect(d.available).toBe(false);
    expect(d.devices).toEqual([]);
    expect(d.reason).toEqual(expect.any(String));
    if (existsSync(built)) {
      expect(d.addon).toEqual({ loaded: true, path: built });
      expect(d.state).toBe(libcudaHere ? 'no-device' : 'no-driver');
      expect(d.reason).toMatch(libcudaHere ? /^no device: / : /^no driver: /);
      // NVML is never reached without a device; its reason is the same cause, not a guess.
      expect(d.nvmlReason).toBe(d.reason);
    } else {
      expect(d.state).toBe('addon-not-built');
    }
    expect(readTelemetry('GPU-00000000-0000-0000-0000-000000000000').available).toBe(false);
    expect(() => CudaDevice.open(0)).toThrow(NoDeviceError);
    const choice = createKernelRunner('t');
    expect(choice.runner.where).toBe('cpu');
    expect(choice.fallbackReason).toBe(d.reason);
  });
});
