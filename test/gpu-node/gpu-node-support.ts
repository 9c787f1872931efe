import {
  JOB_REPORTS_QUEUE,
  reportsIn,
  type ReportMessage,
  NODE_EVENTS_QUEUE,
  nodeQueue,
  type JobDispatch,
  type JobReport,
  type NodeEvent,
  type NodeHeartbeat,
} from '@voxelfleet/contracts';
import { BullMqTransport, type Consumer } from '@voxelfleet/transport';
import { testRedisUrl } from '../support/env.js';
import { SpawnedApp } from '../support/spawned-app.js';

/**
 * A built gpu-node as its own process on real Redis, seen from the scheduler's side: the test
 * enqueues JobDispatch messages on the node's queue and collects its JobReports and heartbeats.
 */
export class NodeUnderTest {
  readonly reports: JobReport[] = [];
  readonly heartbeats: NodeHeartbeat[] = [];
  /** Events the node sent for the audit log. */
  readonly events: NodeEvent[] = [];
  private consumer?: Consumer;
  private eventConsumer?: Consumer;
  private unsubscribe?: () => Promise<void>;
  private seq = 0;

  private constructor(
    readonly app: SpawnedApp,
    readonly transport: BullMqTransport,
    readonly nodeId: string,
    readonly url: string,
  ) {}

  static async start(label: string, port: number, env: Record<string, string> = {}): Promise<NodeUnderTest> {
    const prefix = `vf-e2e-gpunode-${label}-${process.pid}`;
    const nodeId = `node-${label}`;
    const transport = new BullMqTransport({ url: testRedisUrl(), prefix });
    const app = SpawnedApp.start('dist/apps/gpu-node/src/main.js', {
      PORT: String(port),
      HOST: '127.0.0.1',
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: prefix,
      NODE_ID: nodeId,
      LOG_LEVEL: 'info',
      HEARTBEAT_INTERVAL_MS: '100',
      CPU_SLOTS: '2',
      ...env,
    });
    const node = new NodeUnderTest(app, transport, nodeId, `http://127.0.0.1:${port}`);
    node.consumer = transport.consume<ReportMessage>(
      JOB_REPORTS_QUEUE,
      async (job) => {
        node.reports.push(...reportsIn(job.data));
        return Promise.resolve();
      },
      { concurrency: 8 },
    );
    node.eventConsumer = transport.consume<NodeEvent>(NODE_EVENTS_QUEUE, (job) => {
      node.events.push(job.data);
      return Promise.resolve();
    });
    node.unsubscribe = await transport.subscribe('node.heartbeat', (hb) => {
      if (hb.nodeId === nodeId) node.heartbeats.push(hb);
    });
    await app.waitForLine(/node agent consuming its queue/);
    return node;
  }

  dispatch(partial: Partial<JobDispatch> & Pick<JobDispatch, 'kernel' | 'inputs'>): Promise<string> {
    const jobId = partial.jobId ?? `job-${++this.seq}-${Date.now()}`;
    const job: JobDispatch = {
      jobId,
      attempt: 1,
      tenantId: 'tenant-a',
      vramBytes: 0,
      cpuFallbackAllowed: false,
      timeoutMs: 10_000,
      dispatchedAtMs: Date.now(),
      ...partial,
    };
    return this.send(job).then(() => jobId);
  }

  /** Enqueues anything (malformed messages included) on the node's queue. */
  async send(data: unknown, attempt = 1): Promise<void> {
    const id = (data as { jobId?: unknown }).jobId;
    await this.transport.enqueue(nodeQueue(this.nodeId), 'dispatch', data, {
      jobId: typeof id === 'string' ? `${id}.${attempt}` : undefined,
    });
  }

  async final(
    jobId: string,
    timeoutMs = 20_000,
  ): Promise<Extract<JobReport, { type: 'succeeded' | 'failed' }>> {
    const r = await this.waitFor(
      () => this.reports.find((x) => x.jobId === jobId && x.type !== 'started'),
      timeoutMs,
      `final report of ${jobId}`,
    );
    return r as Extract<JobReport, { type: 'succeeded' | 'failed' }>;
  }

  async waitFor<T>(find: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = find();
      if (found !== undefined) return found;
      if (Date.now() > deadline)
        throw new Error(`no ${what} within ${timeoutMs} ms:\n${this.app.output().slice(-4000)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async close(): Promise<void> {
    await this.app.stop('SIGKILL');
    await this.unsubscribe?.();
    await this.consumer?.close();
    await this.eventConsumer?.close();
    await this.transport.close();
  }
}

export const f32 = (values: number[]) => ({
  base64: Buffer.from(new Float32Array(values).buffer).toString('base64'),
  dtype: 'f32' as const,
});
export const u32 = (values: number[]) => ({
  base64: Buffer.from(new Uint32Array(values).buffer).toString('base64'),
  dtype: 'u32' as const,
});
export const u8 = (values: Uint8Array) => ({
  base64: Buffer.from(values).toString('base64'),
  dtype: 'u8' as const,
});
export const f64 = (values: number[]) => ({
  base64: Buffer.from(new Float64Array(values).buffer).toString('base64'),
  dtype: 'f64' as const,
});

export function decodeOut(v: unknown): number[] {
  const { base64, dtype } = v as { base64: string; dtype: string };
  const raw = Buffer.from(base64, 'base64');
  const buf = raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength);
  const ctor = { f32: Float32Array, u32: Uint32Array, u8: Uint8Array, u16: Uint16Array, f64: Float64Array }[
    dtype
  ];
  if (!ctor) throw new Error(`unknown dtype ${dtype}`);
  return [...new ctor(buf)];
}
