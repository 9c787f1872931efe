import { dispatchesIn, nodeQueue, type JobDispatch, type JobReport } from '@voxelfleet/contracts';
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
  private readonly holds = new Set<NodeJS.Timeout>();
  private readonly reporter: JobReporter;

  constructor(
    readonly nodeId: string,
    private readonly transport: Transport,
    private readonly observations: NodeObservations,
    private readonly slots = 256,
  ) {
    this.reporter = new JobReporter(transport, createLogger('gpu-node', 'silent'), {
      coalesceMs: REPORT_COALESCE_MS,
    });
  }

  async start(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.beat(), 1_000);
    // As the gpu-node does: a message is one dispatch or a pass's batch for this node.
    this.consumer = this.transport.consume(
      nodeQueue(this.nodeId),
      async (job) => {
        await Promise.all(dispatchesIn(job.data).map((dispatch) => this.run(dispatch as JobDispatch)));
      },
      { concurrency: this.slots },
    );
  }

  /** As a SIGKILL would: no more heartbeats, no reports, queued work abandoned. */
  async kill(): Promise<void> {
    clearInterval(this.timer);
    for (const hold of this.holds) clearTimeout(hold);
    await this.consumer?.close({ force: true });
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    for (const hold of this.holds) clearTimeout(hold);
    await this.consumer?.close({ force: true });
  }

  private async run(dispatch: JobDispatch): Promise<void> {
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
    await this.transport.publish('node.heartbeat', {
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
