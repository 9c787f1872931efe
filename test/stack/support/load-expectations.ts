import { expect } from '@jest/globals';
import type { LoadReport } from './stack-load.js';

/** What a clean run under load means, the same for both shapes; `label` names it in the output. */
export function expectCleanLoad(label: string, report: LoadReport, jobs: number): void {
  process.stdout.write(
    `${label}: ${JSON.stringify({ ...report, serverErrors: report.serverErrors.length })}\n`,
  );
  expect(report.serverErrors).toEqual([]);
  expect(report.jobProblems).toEqual([]);
  expect(report.jobsSucceededOnce).toBe(jobs);
  expect({ processed: report.framesProcessed, lost: report.framesLost }).toEqual({
    processed: report.framesTotal,
    lost: 0,
  });
  expect(report.trackUpdates).toBe(report.framesTotal);
  expect(report.auditBroken).toEqual([]);
  expect(report.adminWrites).toBeGreaterThan(0);
  expect(report.auditReads).toBeGreaterThan(0);
}
