import type { JobReport, JobReportBatch } from '@voxelfleet/contracts';

/** What a node puts on JOB_REPORTS_QUEUE: one report, or (newer nodes) a batch of them. */
export type ReportMessage = JobReport | JobReportBatch;

/** The reports a message carries, whichever shape its node sent. */
export function reportsIn(message: ReportMessage): readonly JobReport[] {
  return 'reports' in message && Array.isArray(message.reports) ? message.reports : [message as JobReport];
}
