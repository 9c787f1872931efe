import { describe, expect, it } from '@jest/globals';
import { VramPool } from '@voxelfleet/cuda';
import { Registry } from 'prom-client';
import { AccountingBacking } from './accounting-backing.js';
import { DeviceSet, GpuDevice } from './gpu-devices.js';
import { NodeMetrics } from './node-metrics.js';
import { EmulatedDevice, h100Info } from './testing/emulated-device.js';

describe('NodeMetrics', () => {
  it("reports each device's pool limit beside what tenants allocate and reserve from it", async () => {
    const devs = [new EmulatedDevice(h100Info(0), 8 << 20), new EmulatedDevice(h100Info(1), 4 << 20)];
    const devices = DeviceSet.of(
      devs.map((d) => new GpuDevice(d.asCudaDevice())),
      {
        available: true,
        state: 'ready',
        reason: null,
        addon: { loaded: true, path: null },
        driverVersion: '13.0',
        runtimeVersion: '13.0',
        nvmlReason: null,
        devices: devs.map((d) => d.info),
      },
    );
    const registry = new Registry();
    new NodeMetrics(registry, devices, new VramPool(new AccountingBacking(), { capacityBytes: 2 ** 30 }));
    devs[0]!.pool.openJob('job-1', 'tenant-a', { peakBytes: 3 << 20 });
    devs[0]!.pool.alloc('job-1', 1 << 20);

    const text = await registry.metrics();
    expect(text).toContain(`voxelfleet_vram_pool_capacity_bytes{gpu="0"} ${8 << 20}`);
    expect(text).toContain(`voxelfleet_vram_pool_capacity_bytes{gpu="1"} ${4 << 20}`);
    expect(text).toContain(`voxelfleet_vram_allocated_bytes{tenant="tenant-a",gpu="0"} ${1 << 20}`);
    expect(text).toContain(`voxelfleet_vram_reserved_bytes{tenant="tenant-a",gpu="0"} ${2 << 20}`);
    expect(text).toContain('voxelfleet_gpu_discovery_info{state="ready",addon="loaded",reason=""} 1');
  });
});
