import type { JobDetail, Workflow } from '../api/types.js';
import type { View } from '../app/context.js';
import { h, mount, svg } from '../app/dom.js';
import { errorPanel, poll } from '../app/errors.js';
import { href } from '../app/router.js';
import { criticalPath, stepDurationMs, type DagStep } from '../core/critical-path.js';
import { layoutDag } from '../core/dag-layout.js';
import { formatDuration } from '../core/format.js';
import { badge, table } from './table.js';

const FINISHED = new Set(['succeeded', 'failed', 'cancelled']);
const JOB_FINISHED = new Set(['succeeded', 'failed', 'cancelled', 'expired', 'skipped']);
const BOX = { width: 140, height: 44 };

/**
 * A workflow's DAG as SVG. The highlighted critical path is computed here from the steps'
 * real run times (estimates for steps that have not run), so it shows what actually held the
 * workflow up; the scheduler's planned path (from estimates at submission) is listed beside it.
 */
export const workflowView: View = {
  title: 'Workflow',
  mount(outlet, { gateway }, params) {
    const id = params['id'] ?? '';
    // A finished step's job no longer changes: fetched once, so a large workflow's refreshes
    // cost a request per unfinished step only (the gateway rate-limits per key).
    const finishedJobs = new Map<string, JobDetail>();
    let stop = () => {};
    stop = poll(async () => {
      try {
        const workflow = await gateway.get<Workflow>(`/v1/workflows/${encodeURIComponent(id)}`);
        const jobs = await Promise.all(
          workflow.steps.map((step) => {
            const known = finishedJobs.get(step.jobId);
            return known ? Promise.resolve(known) : gateway.get<JobDetail>(`/v1/jobs/${step.jobId}`);
          }),
        );
        for (const job of jobs) if (JOB_FINISHED.has(job.state)) finishedJobs.set(job.id, job);
        mount(outlet, ...renderWorkflow(workflow, jobs));
        if (FINISHED.has(workflow.state)) stop();
      } catch (error) {
        mount(outlet, errorPanel(error, `workflow ${id}`));
        stop();
      }
    }, 2_000);
    return () => stop();
  },
};

function renderWorkflow(workflow: Workflow, jobs: JobDetail[]): HTMLElement[] {
  const now = Date.now();
  const jobOf = new Map(jobs.map((job) => [job.id, job]));
  const steps: DagStep[] = workflow.steps.map((step) => {
    const job = jobOf.get(step.jobId);
    return {
      key: step.key,
      durationMs: job ? stepDurationMs(job, now) : 0,
      dependsOn: step.dependsOn.map((dep) => dep.step),
    };
  });
  const path = criticalPath(steps);
  const onPath = new Set(path.path);
  const pathEdges = new Set(path.path.slice(1).map((key, i) => `${path.path[i]}->${key}`));
  const layout = layoutDag(steps);
  const at = new Map(layout.steps.map((step) => [step.key, step]));
  const stateOf = new Map(workflow.steps.map((step) => [step.key, step]));
  const duration = new Map(steps.map((step) => [step.key, step.durationMs]));

  const drawing = svg(
    'svg',
    {
      class: 'dag',
      width: layout.width,
      height: layout.height,
      viewBox: `0 0 ${layout.width} ${layout.height}`,
      'data-testid': 'workflow-dag',
    },
    svg(
      'defs',
      {},
      svg(
        'marker',
        {
          id: 'arrow',
          viewBox: '0 0 10 10',
          refX: 10,
          refY: 5,
          markerWidth: 6,
          markerHeight: 6,
          orient: 'auto',
        },
        svg('path', { d: 'M0,0 L10,5 L0,10 z' }),
      ),
    ),
    layout.edges.map((edge) => {
      const from = at.get(edge.from)!;
      const to = at.get(edge.to)!;
      const x1 = from.x + BOX.width;
      const y1 = from.y + BOX.height / 2;
      const x2 = to.x;
      const y2 = to.y + BOX.height / 2;
      const critical = pathEdges.has(`${edge.from}->${edge.to}`);
      return svg('path', {
        d: `M${x1},${y1} C${x1 + 20},${y1} ${x2 - 20},${y2} ${x2},${y2}`,
        class: `edge${critical ? ' critical' : ''}`,
        'marker-end': 'url(#arrow)',
        'data-edge': `${edge.from}->${edge.to}`,
      });
    }),
    layout.steps.map((step) => {
      const info = stateOf.get(step.key);
      const critical = onPath.has(step.key);
      return svg(
        'g',
        {
          class: `step state-${info?.state ?? 'unknown'}${critical ? ' critical' : ''}`,
          transform: `translate(${step.x},${step.y})`,
          'data-step': step.key,
          'data-critical': critical ? 'true' : 'false',
        },
        svg('title', {}, `${step.key}: ${info?.state ?? ''} (${info?.stateReason ?? ''})`),
        svg('rect', { width: BOX.width, height: BOX.height, rx: 6 }),
        svg('text', { x: 8, y: 18 }, step.key),
        svg(
          'text',
          { x: 8, y: 35, class: 'small' },
          `${info?.state ?? ''} · ${formatDuration(duration.get(step.key) ?? 0)}`,
        ),
      );
    }),
  );

  return [
    h('h1', {}, `Workflow ${workflow.name || workflow.id.slice(0, 8)} `, badge(workflow.state)),
    workflow.reason ? h('p', {}, workflow.reason) : h('span', {}),
    h(
      'p',
      { 'data-testid': 'critical-path' },
      `Critical path (observed): ${path.path.join(' → ')} — ${formatDuration(path.lengthMs)}. `,
      h('span', { class: 'muted' }, `Planned at submission: ${workflow.criticalPath.join(' → ') || '—'}.`),
    ),
    h('div', { class: 'dag-wrap' }, drawing),
    table(
      ['step', 'job', 'state', 'reason', 'depends on', 'time'],
      workflow.steps.map((step) => [
        step.key,
        h('a', { href: href(`/jobs/${step.jobId}`) }, step.jobId.slice(0, 8)),
        badge(step.state),
        step.stateReason,
        step.dependsOn.map((dep) => `${dep.step} (${dep.onFailure})`).join(', ') || '—',
        formatDuration(duration.get(step.key) ?? 0),
      ]),
      'workflow-steps',
    ),
  ];
}
