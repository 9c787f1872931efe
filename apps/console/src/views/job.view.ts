import type { JobDetail } from '../api/types.js';
import type { View } from '../app/context.js';
import { h, mount } from '../app/dom.js';
import { errorPanel, poll } from '../app/errors.js';
import { href } from '../app/router.js';
import { formatBytes, formatDuration, formatInstant } from '../core/format.js';
import { jobTimeline } from '../core/job-timeline.js';
import { badge, table } from './table.js';

const FINISHED = new Set(['succeeded', 'failed', 'cancelled', 'expired', 'skipped']);

/** One job: its state transitions on a timeline, and why it is pending when it is. */
export const jobView: View = {
  title: 'Job',
  mount(outlet, { gateway }, params) {
    const id = params['id'] ?? '';
    let stop = () => {};
    stop = poll(async () => {
      try {
        const job = await gateway.get<JobDetail>(`/v1/jobs/${encodeURIComponent(id)}`);
        mount(outlet, ...renderJob(job));
        if (FINISHED.has(job.state)) stop();
      } catch (error) {
        mount(outlet, errorPanel(error, `job ${id}`));
        stop();
      }
    }, 2_000);
    return () => stop();
  },
};

function renderJob(job: JobDetail): HTMLElement[] {
  const segments = jobTimeline(job.transitions, Date.now());
  const bar = h(
    'div',
    { class: 'timeline-bar', 'data-testid': 'job-timeline' },
    segments.map((segment) =>
      h(
        'span',
        {
          class: `segment state-${segment.state}`,
          style: `flex-grow:${Math.max(segment.fraction, 0.02).toFixed(4)}`,
          title: `${segment.state}: ${formatDuration(segment.durationMs)} — ${segment.reason}`,
        },
        segment.state,
      ),
    ),
  );
  return [
    h('h1', {}, `Job ${job.id.slice(0, 8)} `, badge(job.state)),
    h(
      'dl',
      { class: 'facts' },
      fact('id', job.id),
      fact('kernel', job.kernel.name),
      fact('state reason', job.stateReason),
      fact('priority', job.priority),
      fact('VRAM', `${formatBytes(job.vramBytes)} × ${job.gpus} GPU`),
      fact('attempt', `${job.attempt} of ${job.maxAttempts}`),
      fact('node', job.nodeId ? `${job.nodeId} ${job.deviceIds.join(', ')}` : '—'),
      fact(
        'workflow',
        job.workflowId
          ? h('a', { href: href(`/workflows/${job.workflowId}`) }, `${job.workflowId} (${job.step ?? ''})`)
          : '—',
      ),
      fact('error', job.error ? JSON.stringify(job.error) : '—'),
    ),
    pendingPanel(job),
    h('h2', {}, 'Timeline'),
    bar,
    table(
      ['at', 'from', 'to', 'reason', 'node', 'attempt', 'time in state'],
      segments.map((segment, i) => [
        formatInstant(segment.startedAt),
        job.transitions[i]?.from ?? '—',
        badge(segment.state),
        segment.reason,
        segment.nodeId,
        segment.attempt,
        segment.endedAt === null
          ? `${formatDuration(segment.durationMs)} so far`
          : formatDuration(segment.durationMs),
      ]),
      'job-transitions',
      'No transitions recorded yet.',
    ),
  ];
}

function pendingPanel(job: JobDetail): HTMLElement {
  if (!job.pending) return h('div', {});
  return h(
    'section',
    { class: 'pending', 'data-testid': 'job-pending' },
    h('h2', {}, 'Why it is pending'),
    h('p', {}, job.pending.summary),
    job.pending.since ? h('p', { class: 'muted' }, `since ${formatInstant(job.pending.since)}`) : null,
    h(
      'ul',
      {},
      job.pending.blockers.map((blocker) =>
        h(
          'li',
          {},
          `${blocker.kind}${blocker.quota ? ` ${blocker.quota}` : ''}${blocker.resource ? ` ${blocker.resource}` : ''}: ${blocker.message} (short by ${blocker.shortfall})`,
        ),
      ),
    ),
  );
}

function fact(label: string, value: Node | string): HTMLElement[] {
  return [h('dt', {}, label), h('dd', {}, value)];
}
