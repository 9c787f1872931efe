import { afterEach, describe, expect, it } from '@jest/globals';
import {
  JOB_REPORT_BATCH,
  JOB_REPORTS_QUEUE,
  type JobReport,
  type JobReportBatch,
} from '@voxelfleet/contracts';
import { InProcessTransport } from '@voxelfleet/transport';
import { pino } from 'pino';
import { JobReporter } from './job-reporter.js';

const open: InProcessTransport[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});

const succeeded = (jobId: string): JobReport => ({
  type: 'succeeded',
  jobId,
  attempt: 1,
  nodeId: 'n1',
  at: 1,
  where: 'cpu',
  durationMs: 0,
  output: {},
});

function queueOf(transport: InProcessTransport) {
  const messages: { name: string; data: JobReport | JobReportBatch }[] = [];
  transport.consume<JobReport | JobReportBatch>(JOB_REPORTS_QUEUE, (job) => {
    messages.push({ name: job.name, data: job.data });
    return Promise.resolve();
  });
  return messages;
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 1));
}

describe('JobReporter', () => {
  const logger = pino({ level: 'silent' });

  it('sends each report on its own without a coalescing window', async () => {
    const transport = new InProcessTransport();
    open.push(transport);
    const messages = queueOf(transport);
    const reporter = new JobReporter(transport, logger);
    await Promise.all([reporter.send(succeeded('a')), reporter.send(succeeded('b'))]);
    await until(() => messages.length === 2);
    expect(messages.map((m) => m.name)).toEqual(['succeeded', 'succeeded']);
  });

  it('coalesces reports made within the window into one batch, resolving each once it is queued', async () => {
    const transport = new InProcessTransport();
    open.push(transport);
    const messages = queueOf(transport);
    const reporter = new JobReporter(transport, logger, { coalesceMs: 5 });
    await Promise.all(['a', 'b', 'c'].map((id) => reporter.send(succeeded(id))));
    await until(() => messages.length === 1);
    const [message] = messages;
    expect(message?.name).toBe(JOB_REPORT_BATCH);
    expect((message?.data as JobReportBatch).reports.map((r) => r.jobId)).toEqual(['a', 'b', 'c']);
  });

  it('sends a lone report in the single-report shape, and a full batch without waiting', async () => {
    const transport = new InProcessTransport();
    open.push(transport);
    const messages = queueOf(transport);
    const reporter = new JobReporter(transport, logger, { coalesceMs: 60_000, maxBatch: 2 });
    await Promise.all([reporter.send(succeeded('a')), reporter.send(succeeded('b'))]);
    const lone = reporter.send(succeeded('c'));
    reporter.flush();
    await lone;
    await until(() => messages.length === 2);
    expect(messages.map((m) => m.name)).toEqual([JOB_REPORT_BATCH, 'succeeded']);
  });

  it('fails every report of a batch that could not be queued', async () => {
    const transport = new InProcessTransport();
    const reporter = new JobReporter(transport, logger, { coalesceMs: 1 });
    await transport.close();
    const sent = [reporter.send(succeeded('a')), reporter.send(succeeded('b'))];
    for (const s of sent) await expect(s).rejects.toThrow();
  }, 10_000);
});
