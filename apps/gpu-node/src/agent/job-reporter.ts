import { JOB_REPORTS_QUEUE, NODE_EVENTS_QUEUE, type JobReport, type NodeEvent } from '@voxelfleet/contracts';
import type { Transport } from '@voxelfleet/transport';
import type { Logger } from 'pino';

/**
 * Sends JobReports on the scheduler's durable queue. Each report has a stable id, so a job
 * redelivered to this node cannot report twice, and a short retry rides out a Redis blip.
 */
export class JobReporter {
  constructor(
    private readonly transport: Transport,
    private readonly logger: Logger,
  ) {}

  async send(report: JobReport): Promise<void> {
    const id = `${report.jobId}.${report.attempt}.${report.type}`;
    await this.enqueue(JOB_REPORTS_QUEUE, report.type, report, id, {
      jobId: report.jobId,
      type: report.type,
    });
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
