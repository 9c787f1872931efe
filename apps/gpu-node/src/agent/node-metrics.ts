import { hostname } from 'node:os';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { DCGM_HELP, dcgmSamples, type DcgmField, type DeviceMetricsInput } from './dcgm-metrics.js';
import type { DeviceSet } from './gpu-devices.js';
import type { TenantStats, VramPool } from '@voxelfleet/cuda';

/** The node's metrics, on the app's registry: DCGM-named device gauges plus pool and job series. */
export class NodeMetrics {
  readonly jobs: Counter<'outcome' | 'where' | 'kernel'>;
  readonly duration: Histogram<'where' | 'kernel'>;
  readonly fallbacks: Counter<'cause'>;
  readonly allocationFailures: Counter<'kind' | 'gpu'>;
  readonly customKernelEvents: Counter<'type'>;
  readonly concurrencyLimit: Gauge;
  readonly queueWait: Histogram;
  readonly batches: Histogram;

  constructor(registry: Registry, devices: DeviceSet, hostPool: VramPool) {
    const host = hostname();
    const fields = Object.keys(DCGM_HELP) as DcgmField[];
    const gauges = new Map<DcgmField, Gauge<'gpu' | 'UUID' | 'modelName' | 'Hostname'>>();
    // One collect for all fields: the first field's reads the devices once per scrape.
    const collectDevices = () => {
      for (const g of gauges.values()) g.reset();
      const inputs: DeviceMetricsInput[] = devices.devices.map((d) => ({
        index: d.index,
        uuid: d.dev.info.uuid,
        modelName: d.dev.info.name,
        memoryTotalBytes: d.dev.info.totalMemoryBytes,
        memoryFreeBytes: d.memoryFreeBytes(),
        telemetry: d.telemetry,
        lastXid: d.lastXid,
      }));
      for (const s of dcgmSamples(host, inputs)) gauges.get(s.field)?.set(s.labels, s.value);
    };
    fields.forEach((f, i) =>
      gauges.set(
        f,
        new Gauge({
          name: f,
          help: DCGM_HELP[f],
          labelNames: ['gpu', 'UUID', 'modelName', 'Hostname'],
          registers: [registry],
          collect: i === 0 ? collectDevices : undefined,
        }),
      ),
    );

    // Gauges by tenant and device, read from each device's pool at scrape time.
    const perTenantDevice = (name: string, help: string, pick: (t: TenantStats) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['tenant', 'gpu'],
        registers: [registry],
        collect() {
          this.reset();
          for (const d of devices.devices) {
            for (const [tenant, t] of Object.entries(d.dev.pool.stats().tenants)) {
              this.set({ tenant, gpu: String(d.index) }, pick(t));
            }
          }
        },
      });
    perTenantDevice(
      'voxelfleet_vram_allocated_bytes',
      'VRAM allocated from the node pool, by tenant and device',
      (t) => t.usedBytes,
    );
    perTenantDevice(
      'voxelfleet_vram_reserved_bytes',
      'VRAM held for declared job peaks and not yet allocated, by tenant and device',
      (t) => t.reservedBytes,
    );
    new Gauge({
      name: 'voxelfleet_vram_pool_capacity_bytes',
      help: "Most VRAM a device's pool may hold (the node's VRAM limit on that device), by device",
      labelNames: ['gpu'],
      registers: [registry],
      collect() {
        this.reset();
        for (const d of devices.devices) this.set({ gpu: String(d.index) }, d.dev.pool.stats().capacityBytes);
      },
    });
    new Gauge({
      name: 'voxelfleet_host_pool_allocated_bytes',
      help: 'Host memory charged to CPU-path jobs (working sets and reservations), by tenant',
      labelNames: ['tenant'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [tenant, t] of Object.entries(hostPool.stats().tenants)) {
          this.set({ tenant }, t.usedBytes + t.reservedBytes);
        }
      },
    });
    new Gauge({
      name: 'voxelfleet_gpu_healthy',
      help: '1 while a device is in service, 0 once it was taken out',
      labelNames: ['gpu', 'UUID'],
      registers: [registry],
      collect() {
        this.reset();
        for (const d of devices.devices)
          this.set({ gpu: String(d.index), UUID: d.dev.info.uuid }, d.healthy ? 1 : 0);
      },
    });
    // Constant for the process: why this node runs on the CPU (or `ready`), for alerts on a GPU
    // host that came up without its device or its addon.
    const { discovery } = devices;
    new Gauge({
      name: 'voxelfleet_gpu_discovery_info',
      help: 'Device discovery at start: state (ready, no-device, no-driver, addon-not-built, ...), whether the CUDA addon loaded, and the reason',
      labelNames: ['state', 'addon', 'reason'],
      registers: [registry],
    }).set(
      {
        state: discovery.state,
        addon: discovery.addon.loaded ? 'loaded' : 'not-loaded',
        reason: discovery.reason ?? '',
      },
      1,
    );
    this.allocationFailures = new Counter({
      name: 'voxelfleet_vram_allocation_failures_total',
      help: 'Pool allocations refused: soft (tenant quota) or hard (device or pool full); gpu="host" on the CPU path',
      labelNames: ['kind', 'gpu'],
      registers: [registry],
    });
    this.fallbacks = new Counter({
      name: 'voxelfleet_cpu_fallbacks_total',
      help: 'Jobs that asked for a device and ran on the CPU, by cause',
      labelNames: ['cause'],
      registers: [registry],
    });
    this.jobs = new Counter({
      name: 'voxelfleet_node_jobs_total',
      help: 'Jobs this node finished, by outcome (succeeded or the error code), where and kernel',
      labelNames: ['outcome', 'where', 'kernel'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'voxelfleet_node_job_duration_seconds',
      help: 'Run time of jobs on this node (start to result), by where and kernel',
      labelNames: ['where', 'kernel'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
    this.queueWait = new Histogram({
      name: 'voxelfleet_node_queue_wait_seconds',
      help: 'Wait between a job reaching this node and starting',
      buckets: [0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
      registers: [registry],
    });
    this.batches = new Histogram({
      name: 'voxelfleet_node_cpu_batch_size',
      help: 'Jobs per CPU worker round trip (micro-batches of tiny jobs of one tenant)',
      buckets: [1, 2, 4, 8, 16, 32, 64],
      registers: [registry],
    });
    this.customKernelEvents = new Counter({
      name: 'voxelfleet_custom_kernel_events_total',
      help: 'Custom kernel verifications, by result (kernel.accepted, kernel.rejected)',
      labelNames: ['type'],
      registers: [registry],
    });
    this.concurrencyLimit = new Gauge({
      name: 'voxelfleet_node_concurrency_limit',
      help: 'Jobs the node currently runs at once (adaptive)',
      registers: [registry],
    });
  }
}
