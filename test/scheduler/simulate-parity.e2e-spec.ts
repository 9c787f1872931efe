import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuditWriter } from '@voxelfleet/audit';
import { AccessControl, DenialRecorder, type RequestActor } from '@voxelfleet/auth';
import type { HeartbeatDevice, NodeHeartbeat } from '@voxelfleet/contracts';
import { APP_LOGGER, DATA_SOURCE, TRANSPORT } from '@voxelfleet/platform';
import {
  planToJob,
  PRIORITY_CLASSES,
  schedulePass,
  schedulingOptionsOf,
  SIMULATED_JOB_ID,
  type PlacementPolicy,
  type PriorityClass,
} from '@voxelfleet/scheduling';
import { InProcessTransport } from '@voxelfleet/transport';
import fc from 'fast-check';
import pino from 'pino';
import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { FleetViewService } from '../../apps/gateway/src/fleet/fleet-view.service.js';
import { DEFAULT_GATEWAY_SETTINGS, GATEWAY_SETTINGS } from '../../apps/gateway/src/gateway.settings.js';
import { SimulateController } from '../../apps/gateway/src/simulate/simulate.controller.js';
import { TenantSnapshotsService } from '../../apps/gateway/src/usage/tenant-snapshots.service.js';
import { FleetRegistryService } from '../../apps/scheduler/src/fleet/fleet-registry.service.js';
import { ActiveJobs } from '../../apps/scheduler/src/jobs/active-jobs.js';
import { JobStore } from '../../apps/scheduler/src/jobs/job-store.js';
import { TenantView } from '../../apps/scheduler/src/tenants/tenant-view.js';
import { schedulerDatabase, seedTenant } from './scheduler-fixture.js';

/**
 * The same heartbeats, node controls and running jobs fed to the gateway's code path (its
 * fleet view, its snapshot assembly and POST /admin/gpu/simulate's controller) and to the
 * scheduler's (its fleet registry, active jobs and tenant view, and a real pass): simulate
 * must promise exactly the placement the pass makes. Real Postgres, no processes.
 */

const GiB = 2 ** 30;
const LOST_AFTER_MS = 5_000;

interface DeviceCase {
  capability: 'hopper' | 'ampere' | 'none';
  healthy: boolean | undefined;
  pool: boolean;
  allocatedShare: number;
  freeShare: number;
  utilization: number;
}

interface NodeCase {
  cores: number;
  slots: { total: number; free: number } | null;
  reportedState: 'ready' | 'draining';
  silent: boolean;
  control: 'none' | 'ready' | 'cordoned' | 'draining';
  devices: DeviceCase[];
}

interface RunningCase {
  node: number;
  device: number | null;
  vramGiB: number;
  /** Told to stop (preempted) and not yet confirmed by its node: it still holds its room. */
  stopping: boolean;
}

interface ParityCase {
  seed: string;
  policy: PlacementPolicy;
  nodes: NodeCase[];
  running: RunningCase[];
  plan: { gpus: number; vramGiB: number; priority: PriorityClass; cpuFallbackAllowed: boolean };
}

const deviceArb: fc.Arbitrary<DeviceCase> = fc.record({
  capability: fc.constantFrom('hopper', 'hopper', 'ampere', 'none' as const),
  healthy: fc.constantFrom(true, true, undefined, false),
  pool: fc.boolean(),
  allocatedShare: fc.constantFrom(0, 0, 0.25, 0.5, 0.9),
  freeShare: fc.constantFrom(1, 1, 0.5, 0.1),
  // Few values, so devices often tie and the seed decides.
  utilization: fc.constantFrom(0, 0.5),
});

const nodeArb: fc.Arbitrary<NodeCase> = fc.record({
  cores: fc.constantFrom(2, 8),
  slots: fc.option(
    fc
      .integer({ min: 1, max: 4 })
      .chain((total) => fc.record({ total: fc.constant(total), free: fc.integer({ min: 0, max: total }) })),
    { nil: null },
  ),
  reportedState: fc.constantFrom('ready', 'ready', 'draining' as const),
  silent: fc.constantFrom(false, false, false, true),
  control: fc.constantFrom('none', 'none', 'ready', 'cordoned', 'draining' as const),
  devices: fc.array(deviceArb, { maxLength: 3 }),
});

const parityArb: fc.Arbitrary<ParityCase> = fc.record({
  seed: fc.constantFrom('voxelfleet', 'parity-1', 'another seed'),
  policy: fc.constantFrom('least-loaded', 'bin-pack', 'spread' as const),
  nodes: fc.array(nodeArb, { minLength: 1, maxLength: 4 }),
  running: fc.array(
    fc.record({
      node: fc.nat(3),
      device: fc.option(fc.nat(2), { nil: null }),
      vramGiB: fc.constantFrom(4, 20, 36),
      stopping: fc.boolean(),
    }),
    { maxLength: 4 },
  ),
  plan: fc.record({
    gpus: fc.constantFrom(1, 1, 2),
    vramGiB: fc.constantFrom(1, 8, 30),
    priority: fc.constantFrom(...PRIORITY_CLASSES),
    cpuFallbackAllowed: fc.boolean(),
  }),
});

function deviceOf(nodeId: string, index: number, d: DeviceCase): HeartbeatDevice {
  const total = (d.capability === 'ampere' ? 40 : 80) * GiB;
  const capacity = Math.floor(total * 0.9);
  const allocated = Math.floor(capacity * d.allocatedShare);
  const device: HeartbeatDevice = {
    index,
    uuid: `GPU-${nodeId}-${index}`,
    name: d.capability === 'ampere' ? 'A100 40GB' : 'H100 80GB',
    memoryTotalBytes: total,
    memoryFreeBytes: Math.floor((total - allocated) * d.freeShare),
    telemetry: {
      utilization: d.utilization,
      temperatureC: 50,
      powerW: 300,
      smClockMhz: 1800,
      throttling: false,
      xidErrors: 0,
    },
  };
  if (d.capability !== 'none') {
    device.capability = {
      vendor: 'nvidia',
      architecture: d.capability,
      computeCapability: d.capability === 'hopper' ? { major: 9, minor: 0 } : { major: 8, minor: 0 },
      precisions: ['fp32', 'fp16', 'bf16'],
      tensorCores: true,
    };
  }
  if (d.pool) {
    device.pool = {
      capacityBytes: capacity,
      allocatedBytes: allocated,
      peakBytes: allocated,
      largestFreeBlockBytes: capacity - allocated,
      byTenant: {},
      allocations: 0,
      allocationFailures: 0,
      softOoms: 0,
      hardOoms: 0,
    };
  }
  if (d.healthy !== undefined) device.healthy = d.healthy;
  return device;
}

function heartbeatOf(nodeId: string, n: NodeCase, sentAt: number): NodeHeartbeat {
  return {
    nodeId,
    hostname: `${nodeId}.local`,
    sentAt,
    state: n.reportedState,
    cpu: { cores: n.cores, load1: 0, ...(n.slots ? { slots: n.slots } : {}) },
    devices: n.devices.map((d, i) => deviceOf(nodeId, i, d)),
    runningJobs: 0,
  };
}

const PLATFORM_ADMIN: RequestActor = {
  principal: {
    id: '00000000-0000-0000-0000-000000000001',
    tenantId: null,
    roles: ['platform-admin'],
    kind: 'service',
    name: 'parity',
    keyId: 'k',
    keyPrefix: 'p',
    grants: [],
  },
  sourceIp: null,
  requestId: null,
  traceId: null,
};

describe('simulate and the scheduling pass see one fleet', () => {
  let database: Awaited<ReturnType<typeof schedulerDatabase>>;
  let db: DataSource;
  let tenantId: string;
  let run = 0;

  beforeAll(async () => {
    database = await schedulerDatabase('simulate_parity');
    db = database.db;
    // A GPU quota the running jobs can reach, so admission's view of usage matters too.
    tenantId = (await seedTenant(db, 'parity-co', { quota: { gpus: 2 } })).tenantId;
  });

  afterAll(async () => {
    await database.close();
  });

  /** The gateway's services as its module wires them, on the given settings. */
  async function gatewayContext(
    transport: InProcessTransport,
    settings: object,
  ): Promise<INestApplicationContext> {
    @Module({
      providers: [
        { provide: TRANSPORT, useValue: transport },
        { provide: DATA_SOURCE, useValue: db },
        { provide: APP_LOGGER, useValue: pino({ level: 'silent' }) },
        { provide: GATEWAY_SETTINGS, useValue: settings },
        AuditWriter,
        DenialRecorder,
        AccessControl,
        FleetViewService,
        TenantSnapshotsService,
        SimulateController,
      ],
    })
    class GatewayParityModule {}
    return NestFactory.createApplicationContext(GatewayParityModule, { logger: false });
  }

  async function arrange(c: ParityCase, prefix: string): Promise<NodeHeartbeat[]> {
    await db.query(`DELETE FROM jobs`);
    await db.query(`DELETE FROM node_controls`);
    const ids = c.nodes.map((_, i) => `${prefix}-n${i}`);
    for (const [i, n] of c.nodes.entries()) {
      if (n.control === 'none') continue;
      await db.query(
        `INSERT INTO node_controls (node_id, state, reason, updated_by) VALUES ($1, $2, 'parity', 'op')`,
        [ids[i], n.control],
      );
    }
    for (const r of c.running) {
      const node = c.nodes[r.node];
      if (!node) continue;
      const onDevice = r.device !== null && r.device < node.devices.length;
      // Through the states a real job passes (the table refuses a job that starts running).
      const [row] = await db.query<{ id: string }[]>(
        `INSERT INTO jobs (tenant_id, kernel, vram_bytes, gpus, priority, preemptible)
         VALUES ($1, '{"name":"noop"}', $2, $3, 'background', true) RETURNING id`,
        [tenantId, onDevice ? r.vramGiB * GiB : 0, onDevice ? 1 : 0],
      );
      await db.query(
        `UPDATE jobs SET state = 'placed', node_id = $2, device_ids = $3, placed_at = now() WHERE id = $1`,
        [row?.id, ids[r.node], onDevice ? [String(r.device)] : []],
      );
      await db.query(`UPDATE jobs SET state = 'running', started_at = now() WHERE id = $1`, [row?.id]);
      if (r.stopping) {
        // As the scheduler's preemption writes it: requeued, its run stopping on the node.
        await db.query(
          `UPDATE jobs SET state = 'preempted', stopping = jsonb_build_object('attempt', attempt,
             'nodeId', node_id, 'deviceIds', to_jsonb(device_ids), 'vramBytesPerDevice', vram_bytes,
             'reason', 'preempted', 'graceMs', 0, 'requestedAtMs', $2::bigint) WHERE id = $1`,
          [row?.id, Date.now()],
        );
        await db.query(
          `UPDATE jobs SET state = 'requeued', node_id = NULL, device_ids = '{}' WHERE id = $1`,
          [row?.id],
        );
      }
    }
    const nowMs = Date.now();
    return c.nodes.map((n, i) => heartbeatOf(ids[i] ?? '', n, nowMs));
  }

  it('places a planned job where simulate said it would, for any fleet', async () => {
    await fc.assert(
      fc.asyncProperty(parityArb, async (c) => {
        run += 1;
        const heartbeats = await arrange(c, `r${run}`);
        const receivedAt = (i: number) => Date.now() - (c.nodes[i]?.silent ? 60_000 : 50);
        const schedulerSettings = {
          nodeLostAfterMs: LOST_AFTER_MS,
          seed: c.seed,
          policy: c.policy,
        };

        // The gateway, configured from the same scheduling settings.
        const transport = new InProcessTransport();
        const gateway = await gatewayContext(transport, {
          ...DEFAULT_GATEWAY_SETTINGS,
          policyCacheTtlMs: 0,
          nodeLostAfterMs: LOST_AFTER_MS,
          scheduling: { seed: c.seed, policy: c.policy },
        });
        const fleetView = gateway.get(FleetViewService);
        heartbeats.forEach((beat, i) => fleetView.record(beat, receivedAt(i)));

        // The scheduler's registry, fed the same heartbeats and the same node controls.
        const registry = new FleetRegistryService(transport, schedulerSettings, db, new Registry());
        heartbeats.forEach((beat, i) => registry.record(beat, receivedAt(i)));
        await registry.refreshControls();

        const plan = {
          vramBytesPerDevice: c.plan.vramGiB * GiB,
          gpus: c.plan.gpus,
          priority: c.plan.priority,
          cpuFallbackAllowed: c.plan.cpuFallbackAllowed,
          tenantId,
        };
        try {
          const simulated = await gateway.get(SimulateController).simulate(PLATFORM_ADMIN, plan);

          const store = new JobStore(db);
          const nowMs = Date.now();
          const active = await new ActiveJobs(() => store.loadActive()).current(nowMs);
          const snapshot = {
            nowMs,
            tenants: await new TenantView(db, store).snapshot(active, nowMs, 1),
            nodes: registry.snapshotNodes(active, nowMs),
            running: active,
          };
          const pass = schedulePass(
            snapshot,
            [planToJob(plan, nowMs)],
            schedulingOptionsOf(schedulerSettings),
          );
          const decided = pass.decisions.find((d) => d.jobId === SIMULATED_JOB_ID)?.decision;
          const real =
            decided?.kind === 'place'
              ? { outcome: 'would-start', placement: decided.placement }
              : decided?.kind === 'preempt'
                ? { outcome: 'would-preempt', victims: decided.plan.victims.map((v) => v.jobId) }
                : { outcome: decided?.kind === 'reject' ? 'rejected' : 'would-wait' };
          const promised =
            simulated.outcome === 'would-start'
              ? { outcome: 'would-start', placement: simulated.placement }
              : simulated.outcome === 'would-preempt'
                ? { outcome: 'would-preempt', victims: simulated.preempted.map((v) => v.jobId) }
                : { outcome: simulated.outcome };
          expect(promised).toEqual(real);
        } finally {
          await gateway.close();
          await transport.close();
        }
      }),
      { numRuns: 60, seed: 23 },
    );
  });
});
