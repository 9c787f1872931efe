import { JOB_REPORTS_QUEUE, type JobReport } from '@voxelfleet/contracts';
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
    const id = `${report.jobId}.${report.attempt}.${report.type}`.replace(/:/g, '_');
    for (let attempt = 1; ; attempt++) {
      try {
        await this.transport.enqueue(JOB_REPORTS_QUEUE, report.type, report, { jobId: id });
        return;
      } catch (e) {
        if (attempt >= 3) throw e;
        this.logger.warn({ err: e, jobId: report.jobId, type: report.type }, 'job report not sent; retrying');
        await new Promise((r) => setTimeout(r, 100 * attempt));
      }
    }
  }
}
