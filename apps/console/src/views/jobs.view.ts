import { JOB_STATES } from '@voxelfleet/contracts';
import type { Job } from '../api/types.js';
import type { View } from '../app/context.js';
import { h, mount } from '../app/dom.js';
import { errorPanel, poll } from '../app/errors.js';
import { href } from '../app/router.js';
import { formatBytes, formatInstant } from '../core/format.js';
import { badge, table } from './table.js';

const STATES = ['', ...JOB_STATES];

/** Recent jobs, filterable by state; each links to its timeline, and to its workflow. */
export const jobsView: View = {
  title: 'Jobs',
  mount(outlet, { gateway }) {
    const filter = h(
      'select',
      { 'data-testid': 'job-state-filter' },
      STATES.map((state) => h('option', { value: state }, state || 'any state')),
    );
    const list = h('section', {});
    mount(outlet, h('h1', {}, 'Jobs'), h('label', { class: 'filters' }, 'State ', filter), list);
    const load = async () => {
      try {
        const { jobs } = await gateway.get<{ jobs: Job[] }>('/v1/jobs', {
          state: filter.value || undefined,
          limit: 100,
        });
        mount(list, jobsTable(jobs), workflowLinks(jobs));
      } catch (error) {
        mount(list, errorPanel(error, 'the job list'));
      }
    };
    filter.addEventListener('change', () => void load());
    return poll(load, 5_000);
  },
};

function jobsTable(jobs: Job[]): HTMLElement {
  return table(
    ['job', 'kernel', 'state', 'why', 'workflow', 'VRAM', 'submitted'],
    jobs.map((job) => [
      h('a', { href: href(`/jobs/${job.id}`), 'data-testid': 'job-link' }, job.id.slice(0, 8)),
      job.kernel.name,
      badge(job.state),
      job.stateReason,
      job.workflowId
        ? h(
            'a',
            { href: href(`/workflows/${job.workflowId}`), 'data-testid': 'workflow-link' },
            `${job.workflowId.slice(0, 8)} · ${job.step ?? ''}`,
          )
        : '—',
      formatBytes(job.vramBytes),
      formatInstant(job.submittedAt),
    ]),
    'jobs-table',
    'No jobs.',
  );
}

/** The workflows the listed jobs belong to, each once, newest first. */
function workflowLinks(jobs: Job[]): HTMLElement {
  const seen = new Map<string, string>();
  for (const job of jobs) {
    if (job.workflowId && !seen.has(job.workflowId)) seen.set(job.workflowId, job.submittedAt);
  }
  if (seen.size === 0) return h('div', {});
  return h(
    'section',
    { 'data-testid': 'workflow-list' },
    h('h2', {}, 'Workflows of these jobs'),
    h(
      'ul',
      {},
      [...seen].map(([id, at]) =>
        h(
          'li',
          {},
          h('a', { href: href(`/workflows/${id}`) }, id.slice(0, 8)),
          ` · submitted ${formatInstant(at)}`,
        ),
      ),
    ),
  );
}
