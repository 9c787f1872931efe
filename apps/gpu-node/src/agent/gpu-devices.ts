import type { KeyObject } from 'node:crypto';
import type { HeartbeatDevice } from '@voxelfleet/contracts';
import {
  CudaDevice,
  CustomKernels,
  discoverDevices,
  type CustomKernelEvent,
  type DeviceDiscovery,
  type DeviceTelemetry,
} from '@voxelfleet/cuda';
import type { Logger } from 'pino';
import { capabilityProfile, fatalXid, parseXids } from './device-profile.js';
import { DeviceLane } from './job-bound-runner.js';
import type { DeviceHealth } from './run-plan.js';

export interface GpuDeviceOptions {
  /** Per-operation time limit inside the addon, ms. */
  opTimeoutMs: number;
  /** Each tenant's share of a device's pool, 0..1. */
  tenantVramShare: number;
}

/** One CUDA device of this node: its pool, lanes (streams and runners), custom kernels, health. */
export class GpuDevice {
  readonly trustedKeys = new Map<string, KeyObject>();
  readonly custom: CustomKernels;
  telemetry: DeviceTelemetry | null = null;
  lastXid = 0;
  xidCount = 0;
  private readonly lanes: DeviceLane[] = [];
  private readonly customEvents: CustomKernelEvent[] = [];
  private outReason: string | null = null;
  private peakUsed = 0;

  constructor(readonly dev: CudaDevice) {
    this.custom = new CustomKernels(dev, this.trustedKeys, (e) => this.customEvents.push(e));
  }

  get index(): number {
    return this.dev.info.index;
  }

  get healthy(): boolean {
    return !this.dev.isLost && this.outReason === null;
  }

  get reason(): string | undefined {
    if (this.dev.isLost) return 'device lost';
    return this.outReason ?? undefined;
  }

  /** Takes the device out of service alone; the node's other devices carry on. */
  markOut(reason: string): void {
    this.outReason ??= reason;
  }

  lane(): DeviceLane {
    let lane = this.lanes.find((l) => !l.busy);
    if (!lane) {
      lane = new DeviceLane(this.dev);
      this.lanes.push(lane);
    }
    lane.busy = true;
    return lane;
  }

  takeCustomEvents(): CustomKernelEvent[] {
    return this.customEvents.splice(0);
  }

  /** Reads NVML telemetry and Xid events; a fatal Xid takes the device out. */
  sample(): void {
    try {
      this.telemetry = this.dev.telemetry();
    } catch (e) {
      this.telemetry = { available: false, reason: e instanceof Error ? e.message : String(e) };
    }
    const xids = parseXids(this.telemetry.xidErrors);
    if (xids.length) {
      this.lastXid = xids[xids.length - 1]!;
      this.xidCount += xids.length;
      const fatal = fatalXid(xids);
      if (fatal !== null) this.markOut(`Xid ${fatal}`);
    }
    this.peakUsed = Math.max(this.peakUsed, this.dev.pool.stats().usedBytes);
  }

  memoryFreeBytes(): number | null {
    if (this.dev.isLost) return null;
    try {
      return this.dev.call(() => this.dev.addon.memInfo(this.index)).freeBytes;
    } catch {
      return null;
    }
  }

  heartbeat(): HeartbeatDevice {
    const info = this.dev.info;
    const stats = this.dev.pool.stats();
    const t = this.telemetry?.available ? this.telemetry : null;
    const tenants = Object.values(stats.tenants);
    const softOoms = tenants.reduce((s, x) => s + x.softOoms, 0);
    return {
      index: info.index,
      uuid: info.uuid,
      name: info.name,
      memoryTotalBytes: info.totalMemoryBytes,
      memoryFreeBytes: this.memoryFreeBytes() ?? 0,
      capability: capabilityProfile(info.computeCapability),
      telemetry: {
        utilization: t?.utilizationGpuPct != null ? t.utilizationGpuPct / 100 : null,
        temperatureC: t?.temperatureC ?? null,
        powerW: t?.powerW ?? null,
        smClockMhz: t?.smClockMHz ?? null,
        // Drawing near the power limit is when the driver lowers clocks.
        throttling: t?.powerW != null && t.powerLimitW != null ? t.powerW >= 0.98 * t.powerLimitW : false,
        xidErrors: this.xidCount,
      },
      pool: {
        capacityBytes: stats.capacityBytes,
        allocatedBytes: stats.usedBytes,
        peakBytes: this.peakUsed,
        largestFreeBlockBytes: stats.largestFreeBytes,
        byTenant: Object.fromEntries(Object.entries(stats.tenants).map(([k, v]) => [k, v.usedBytes])),
        allocations: tenants.reduce((s, x) => s + x.allocations, 0),
        allocationFailures: softOoms + stats.hardOoms,
        softOoms,
        hardOoms: stats.hardOoms,
      },
      healthy: this.healthy,
    };
  }
}

/** The devices this node found, each opened on its own; one failing to open does not stop the rest. */
export class DeviceSet {
  private constructor(
    readonly discovery: DeviceDiscovery,
    readonly devices: GpuDevice[],
  ) {}

  static open(logger: Logger, options: GpuDeviceOptions): DeviceSet {
    const discovery = discoverDevices();
    const devices: GpuDevice[] = [];
    if (!discovery.available) {
      logger.info(
        { state: discovery.state, reason: discovery.reason, addon: discovery.addon },
        'no CUDA device: this is a CPU node',
      );
      return new DeviceSet(discovery, devices);
    }
    for (const info of discovery.devices) {
      try {
        const capacity = Math.floor((info.freeMemoryBytes ?? info.totalMemoryBytes) * 0.9);
        const dev = CudaDevice.open(info.index, {
          timeoutMs: options.opTimeoutMs,
          pool: {
            capacityBytes: capacity,
            defaultTenantQuotaBytes: Math.floor(capacity * options.tenantVramShare),
          },
        });
        devices.push(new GpuDevice(dev));
        logger.info(
          { device: info.index, name: info.name, uuid: info.uuid, addon: discovery.addon.path },
          'CUDA device ready',
        );
      } catch (e) {
        logger.error({ err: e, device: info.index }, 'CUDA device could not be opened; left out');
      }
    }
    return new DeviceSet(discovery, devices);
  }

  /** A set over devices opened elsewhere (tests, or a caller that opens devices itself). */
  static of(devices: GpuDevice[], discovery: DeviceDiscovery): DeviceSet {
    return new DeviceSet(discovery, devices);
  }

  get(index: number): GpuDevice | undefined {
    return this.devices.find((d) => d.index === index);
  }

  health(): DeviceHealth[] {
    return this.devices.map((d) => ({ index: d.index, healthy: d.healthy, reason: d.reason }));
  }
}
