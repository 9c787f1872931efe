import { randomUUID } from 'node:crypto';
import {
  JOB_REPORT_BATCH,
  JOB_REPORTS_QUEUE,
  NODE_EVENTS_QUEUE,
  type JobReport,
  type JobReportBatch,
  type NodeEvent,
} from '@voxelfleet/contracts';
import type { Transport } from '@voxelfleet/transport';
import type { Logger } from 'pino';

export interface JobReporterOptions {
  /**
   * Reports produced within this many ms of the first travel as one JobReportBatch message;
   * 0 sends each report on its own. A busy node finishes many short jobs per millisecond, and
   * a durable message per report costs the node, Redis and the scheduler more than the jobs.
   */
  coalesceMs?: number;
  /** The most reports in one batch. */
  maxBatch?: number;
}

interface Waiting {
  report: JobReport;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Sends JobReports on the scheduler's durable queue, alone or coalesced into batches. A
 * report's promise resolves once the message holding it is on the queue, so a job is only
 * acknowledged after its report is durable; a node that dies first loses nothing the
 * scheduler's failover does not already handle. A single report has a stable id, so a job
 * redelivered to this node cannot report twice; a batch has an id of its own, kept across the
 * short retries that ride out a Redis blip. A report sent twice anyway is harmless: the
 * scheduler's writes are guarded by state and attempt.
 */
export class JobReporter {
  private readonly coalesceMs: number;
  private readonly maxBatch: number;
  private waiting: Waiting[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly transport: Transport,
    private readonly logger: Logger,
    options: JobReporterOptions = {},
  ) {
    this.coalesceMs = options.coalesceMs ?? 0;
    this.maxBatch = Math.max(1, options.maxBatch ?? 500);
  }

  send(report: JobReport): Promise<void> {
    if (this.coalesceMs <= 0) return this.sendOne(report);
    return new Promise((resolve, reject) => {
      this.waiting.push({ report, resolve, reject });
      if (this.waiting.length >= this.maxBatch) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.coalesceMs);
    });
  }

  /** Sends whatever waits for its batch now (before a shutdown, say). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.waiting;
    this.waiting = [];
    const first = batch[0];
    if (!first) return;
    const sent =
      batch.length === 1
        ? this.sendOne(first.report)
        : this.enqueue(
            JOB_REPORTS_QUEUE,
            JOB_REPORT_BATCH,
            { reports: batch.map((w) => w.report) } satisfies JobReportBatch,
            `batch.${randomUUID()}`,
            { reports: batch.length },
          );
    sent.then(
      () => {
        for (const w of batch) w.resolve();
      },
      (error: unknown) => {
        for (const w of batch) w.reject(error);
      },
    );
  }

  /**
   * Sends an event for the audit log. Losing one must not fail the job it describes, so a
   * failure after the retries is logged, not thrown.
   */
  async event(event: NodeEvent): Promise<void> {
    const id = `${event.nodeId}.${event.type}.${event.jobId ?? ''}.${event.attempt ?? ''}.${event.deviceIndex ?? ''}.${event.at}`;
    try {
      await this.enqueue(NODE_EVENTS_QUEUE, event.type, event, id, { type: event.type, jobId: event.jobId });
    } catch (e) {
      this.logger.error({ err: e, event }, 'node event not sent to the audit log');
    }
  }

  private sendOne(report: JobReport): Promise<void> {
    const id = `${report.jobId}.${report.attempt}.${report.type}`;
    return this.enqueue(JOB_REPORTS_QUEUE, report.type, report, id, {
      jobId: report.jobId,
      type: report.type,
    });
  }

  private async enqueue(
    queue: string,
    name: string,
    data: unknown,
    rawId: string,
    about: object,
  ): Promise<void> {
    const jobId = rawId.replace(/:/g, '_');
    for (let attempt = 1; ; attempt++) {
      try {
        await this.transport.enqueue(queue, name, data, { jobId });
        return;
      } catch (e) {
        if (attempt >= 3) throw e;
        this.logger.warn({ err: e, queue, ...about }, 'message not sent; retrying');
        await new Promise((r) => setTimeout(r, 100 * attempt));
      }
    }
  }
}
