import { createLogger, createMetricsRegistry } from '@voxelfleet/observability';
import { createDataSource, insertJobs, migrateWithLock, type NewJobRow } from '@voxelfleet/persistence';
import { startApp, type RunningApp } from '@voxelfleet/platform';
import { BullMqTransport } from '@voxelfleet/transport';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { SchedulerModule } from '../../apps/scheduler/src/scheduler.module.js';
import type { SchedulerSettings } from '../../apps/scheduler/src/scheduler.config.js';
import { NodeFleet, type FleetNode } from './node-fleet.js';
import type { NodeObservations } from './simulated-node.js';

const BIG = 1e15;
/** The scheduler's default: a node silent this long (by the fleet's latest heartbeat) is lost. */
export const NODE_LOST_AFTER_MS = 2_000;

export interface BenchEnv {
  redisUrl: string;
  postgresAdminUrl: string;
}

/**
 * One measured setup: a database of its own, the scheduler app (the real module, in this
 * process, over BullMQ on the real Redis), simulated nodes (on a thread of their own), and tenants on an edition whose
 * limits are out of the way, so the pipeline and not a quota is what is measured.
 */
export class BenchStack {
  readonly observations: NodeObservations = { receivedAt: new Map() };
  nodes: readonly FleetNode[] = [];
  tenantIds: string[] = [];
  private scheduler?: RunningApp;
  private schedulerTransport?: BullMqTransport;
  private fleet?: NodeFleet;
  private submitTransport?: BullMqTransport;
  private schedulerDb?: DataSource;

  private constructor(
    readonly env: BenchEnv,
    readonly name: string,
    readonly url: string,
    readonly db: DataSource,
  ) {}

  /** Every Redis key of this setup starts with it; stop() removes them. */
  private get prefix(): string {
    return `vf-bench-${process.pid}-${this.name}`;
  }

  static async create(env: BenchEnv, label: string): Promise<BenchStack> {
    const name = `vf_bench_${label}_${process.pid}`;
    const admin = new pg.Client({ connectionString: env.postgresAdminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(env.postgresAdminUrl);
    url.pathname = `/${name}`;
    const db = createDataSource({ url: url.toString(), poolSize: 4, applicationName: 'bench' });
    await db.initialize();
    await migrateWithLock(db);
    const limits = {
      vramBytesPerDevice: BIG,
      vramBytesTotal: BIG,
      gpus: 1e9,
      concurrentJobs: 1e9,
      jobsPerMinute: 1e9,
      gpuSecondsPerDay: BIG,
      trackingStreams: 1e6,
    };
    await db.query(`INSERT INTO editions (name, features, defaults, ceiling) VALUES ('bench', $1, $2, $2)`, [
      JSON.stringify({ multiGpu: true, signedCustomKernels: true, trackingStreams: true, cpuFallback: true }),
      JSON.stringify(limits),
    ]);
    const stack = new BenchStack(env, name, url.toString(), db);
    for (let i = 0; i < 4; i += 1) {
      const rows: { id: string }[] = await db.query(
        `INSERT INTO tenants (name, edition) VALUES ($1, 'bench') RETURNING id`,
        [`bench-${i}`],
      );
      stack.tenantIds.push((rows[0] as { id: string }).id);
    }
    return stack;
  }

  /**
   * `observe`: the nodes report when each dispatch reached them (latency runs need it).
   * `settings.dispatchShards`: dispatch on shared queues that the fleet thread relays to its
   * nodes, instead of one queue per node.
   */
  async start(nodeCount: number, settings: Partial<SchedulerSettings> = {}, observe = true): Promise<void> {
    const prefix = this.prefix;
    const transport = (): BullMqTransport => new BullMqTransport({ url: this.env.redisUrl, prefix });
    this.schedulerTransport = transport();
    this.submitTransport = transport();
    const dataSource = createDataSource({ url: this.url, poolSize: 8, applicationName: 'bench-scheduler' });
    await dataSource.initialize();
    this.schedulerDb = dataSource;
    const infra = {
      name: 'scheduler',
      logger: createLogger('scheduler', 'silent'),
      registry: createMetricsRegistry('scheduler', false),
      transport: this.schedulerTransport,
      dataSource,
    };
    this.scheduler = await startApp({
      infra,
      host: '127.0.0.1',
      port: 0,
      module: SchedulerModule.forRoot(infra, {
        nodeLostAfterMs: NODE_LOST_AFTER_MS,
        // The scheduler's own default (SCHEDULER_BATCH) unless BENCH_BATCH asks for another.
        ...(process.env.BENCH_BATCH ? { batchSize: Number(process.env.BENCH_BATCH) } : {}),
        tickMs: 100,
        ...settings,
      }),
    });
    this.fleet = await NodeFleet.start(
      {
        redisUrl: this.env.redisUrl,
        prefix,
        nodeIds: Array.from({ length: nodeCount }, (_, i) => `sim-${i}`),
        observe,
        shards: settings.dispatchShards ?? 0,
        batchHeartbeats: process.env.BENCH_HEARTBEAT_BATCH !== '0',
      },
      this.observations,
    );
    this.nodes = this.fleet.nodes;
    // Every node registered with the scheduler (it persists them each second).
    for (;;) {
      const rows: { n: string }[] = await this.db.query(`SELECT count(*) AS n FROM nodes`);
      if (Number(rows[0]?.n) >= nodeCount) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Writes jobs the way the gateway does (one statement per batch) and wakes the scheduler. */
  async submit(count: number, inputs: Record<string, unknown> = {}): Promise<void> {
    const rows: NewJobRow[] = Array.from({ length: count }, (_, i) => ({
      tenantId: this.tenantIds[i % this.tenantIds.length] as string,
      state: 'submitted',
      stateReason: 'submitted',
      kernel: { name: 'noop' },
      inputs,
      vramBytes: 0,
      gpus: 1,
      priority: 'normal',
      deadlineAt: null,
      estimatedDurationMs: null,
      timeoutMs: 60_000,
      preemptible: false,
      affinity: null,
      cpuFallbackAllowed: true,
      maxAttempts: 3,
    }));
    await insertJobs(this.db.manager, rows);
    await this.submitTransport?.publish('jobs.submitted', { count, at: Date.now() });
  }

  async countIn(states: readonly string[]): Promise<number> {
    const rows: { n: string }[] = await this.db.query(
      `SELECT count(*) AS n FROM jobs WHERE state = ANY($1::text[])`,
      [states],
    );
    return Number(rows[0]?.n);
  }

  async waitFor(states: readonly string[], count: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.countIn(states)) < count) {
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${count} jobs in ${states.join('|')}`);
      // Every figure comes from the jobs' own times in the table, not from when this loop
      // notices; the count reads the whole table, so it is asked rarely (it competes with
      // the scheduler for Postgres).
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** The sum of a metric's series on the scheduler's /metrics (0 when absent). */
  async metric(name: string): Promise<number> {
    if (!this.scheduler) return 0;
    const text = await (await fetch(`${this.scheduler.url}/metrics`)).text();
    let sum = 0;
    for (const line of text.split('\n')) {
      if (line.startsWith(`${name} `) || line.startsWith(`${name}{`))
        sum += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
    return sum;
  }

  /** The scheduler's own timing series, for reading where a run spent its time. */
  async passSummary(): Promise<string> {
    if (!this.scheduler) return '';
    const text = await (await fetch(`${this.scheduler.url}/metrics`)).text();
    return text
      .split('\n')
      .filter((line) => /^voxelfleet_scheduler_pass_duration_seconds_(sum|count)/.test(line))
      .map((line) => line.replace(/\{[^}]*\}/, ''))
      .join(', ');
  }

  /** Every dispatch the nodes have received so far is in `observations` once this resolves. */
  async flushObservations(): Promise<void> {
    await this.fleet?.flush();
  }

  async stop(): Promise<void> {
    await this.fleet?.stop();
    await this.scheduler?.close();
    await this.schedulerDb?.destroy();
    await this.schedulerTransport?.close();
    await this.submitTransport?.close();
    await this.db.destroy();
    const admin = new pg.Client({ connectionString: this.env.postgresAdminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${this.name} WITH (FORCE)`);
    await admin.end();
    await this.dropQueues();
  }

  /** The setup's queues (up to a thousand finished jobs each are kept by design) go with it. */
  private async dropQueues(): Promise<void> {
    const redis = new Redis(this.env.redisUrl);
    try {
      for await (const keys of redis.scanStream({ match: `${this.prefix}:*`, count: 1_000 })) {
        if ((keys as string[]).length > 0) await redis.unlink(...(keys as string[]));
      }
    } finally {
      await redis.quit();
    }
  }
}
