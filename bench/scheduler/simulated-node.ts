import {
  dispatchesIn,
  nodeQueue,
  type JobDispatch,
  type JobReport,
  type NodeHeartbeat,
} from '@voxelfleet/contracts';
import { createLogger } from '@voxelfleet/observability';
import type { Consumer, Transport } from '@voxelfleet/transport';
import { JobReporter } from '../../apps/gpu-node/src/agent/job-reporter.js';

/** As the gpu-node does: reports produced within this window travel as one message. */
const REPORT_COALESCE_MS = 2;

export interface NodeObservations {
  /** Job id → epoch ms the node received its dispatch. */
  receivedAt: Map<string, number>;
}

/**
 * A gpu-node stand-in: heartbeats with CPU slots, consumes its queue, runs nothing (the no-op
 * kernel) and reports success, or holds a job for `inputs.holdMs` after reporting it started.
 * It speaks the same contracts as apps/gpu-node, through the same transport, and sends its
 * reports with the gpu-node's own reporter.
 */
export class SimulatedNode {
  private consumer?: Consumer;
  private timer?: NodeJS.Timeout;
  private dead = false;
  private readonly holds = new Set<NodeJS.Timeout>();
  private readonly reporter: JobReporter;

  constructor(
    readonly nodeId: string,
    private readonly transport: Transport,
    private readonly observations: NodeObservations,
    private readonly slots = 256,
    /** Mean heartbeat interval; each one is drawn within ±10 % of it (see `scheduleBeat`). */
    private readonly heartbeatMs = 1_000,
    /** Where heartbeats go; by default the transport's `node.heartbeat` event. */
    private readonly sendHeartbeat: (heartbeat: NodeHeartbeat) => Promise<void> = (heartbeat) =>
      transport.publish('node.heartbeat', heartbeat),
    /** A relay's reporter shared by its nodes; by default the node's own. */
    reporter?: JobReporter,
  ) {
    this.reporter =
      reporter ??
      new JobReporter(transport, createLogger('gpu-node', 'silent'), {
        coalesceMs: REPORT_COALESCE_MS,
      });
  }

  /**
   * `ownQueue`: consume the node's own queue, as a gpu-node does; without it the node gets its
   * messages from a relay (`receive`) reading a shared dispatch queue.
   */
  async start(ownQueue = true): Promise<void> {
    await this.beat();
    this.scheduleBeat(this.heartbeatMs * Math.random());
    if (!ownQueue) return;
    // As the gpu-node does: a message is one dispatch or a pass's batch for this node.
    this.consumer = this.transport.consume(nodeQueue(this.nodeId), (job) => this.receive(job.data), {
      concurrency: this.slots,
    });
  }

  /** One queue message for this node: a dispatch or a pass's batch. A dead node drops it. */
  async receive(data: unknown): Promise<void> {
    if (this.dead) return;
    await Promise.all(dispatchesIn(data as JobDispatch).map((dispatch) => this.run(dispatch as JobDispatch)));
  }

  /** As a SIGKILL would: no more heartbeats, no reports, queued work abandoned. */
  async kill(): Promise<void> {
    this.dead = true;
    clearTimeout(this.timer);
    for (const hold of this.holds) clearTimeout(hold);
    await this.consumer?.close({ force: true });
  }

  async stop(): Promise<void> {
    this.dead = true;
    clearTimeout(this.timer);
    for (const hold of this.holds) clearTimeout(hold);
    await this.consumer?.close({ force: true });
  }

  /**
   * The next heartbeat within ±10 % of the interval (the first at a random point of one):
   * ten thousand nodes started together would otherwise beat in the same millisecond every
   * second, a burst the scheduler reads in one go. Nodes of a real fleet start at different
   * times; the jitter keeps simulated ones apart as well.
   */
  private scheduleBeat(delay = this.heartbeatMs * (0.9 + 0.2 * Math.random())): void {
    if (this.dead) return;
    this.timer = setTimeout(() => {
      void this.beat();
      this.scheduleBeat();
    }, delay);
  }

  private async run(dispatch: JobDispatch): Promise<void> {
    if (this.dead) return;
    this.observations.receivedAt.set(dispatch.jobId, Date.now());
    const holdMs = typeof dispatch.inputs.holdMs === 'number' ? dispatch.inputs.holdMs : 0;
    if (holdMs > 0) {
      await this.report({
        type: 'started',
        where: 'cpu',
        jobId: dispatch.jobId,
        attempt: dispatch.attempt,
        nodeId: this.nodeId,
        at: Date.now(),
      });
      await new Promise<void>((resolve) => {
        const hold = setTimeout(() => {
          this.holds.delete(hold);
          resolve();
        }, holdMs);
        this.holds.add(hold);
      });
    }
    await this.report({
      type: 'succeeded',
      where: 'cpu',
      jobId: dispatch.jobId,
      attempt: dispatch.attempt,
      nodeId: this.nodeId,
      at: Date.now(),
      durationMs: 0,
      output: {},
    });
  }

  private report(report: JobReport): Promise<void> {
    return this.reporter.send(report);
  }

  private async beat(): Promise<void> {
    await this.sendHeartbeat({
      nodeId: this.nodeId,
      hostname: 'bench',
      sentAt: Date.now(),
      state: 'ready',
      cpu: { cores: 2, load1: 0, slots: { total: this.slots, free: this.slots } },
      devices: [],
      runningJobs: 0,
    });
  }
}
