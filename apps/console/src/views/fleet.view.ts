import { QUEUED_JOB_STATES } from '@voxelfleet/contracts';
import type { FleetStats, Job, TenantUsage } from '../api/types.js';
import type { View } from '../app/context.js';
import { h, mount } from '../app/dom.js';
import { errorPanel, poll } from '../app/errors.js';
import { formatBytes, formatInstant, formatPercent, formatTemperature, formatUsage } from '../core/format.js';
import { badge, meter, table } from './table.js';

const REFRESH_MS = 3_000;
const LIST_LIMIT = 500;

/** Nodes and devices, jobs by state, queue depth and per-tenant quota use; refreshes itself. */
export const fleetView: View = {
  title: 'Fleet',
  mount(outlet, { gateway }) {
    const updated = h('span', { class: 'muted' });
    const nodes = h('section', { 'data-testid': 'fleet-nodes' });
    const jobs = h('section', { 'data-testid': 'fleet-jobs' });
    const tenants = h('section', { 'data-testid': 'fleet-tenants' });
    mount(outlet, h('h1', {}, 'Fleet ', updated), nodes, jobs, tenants);

    return poll(async () => {
      const [stats, usage, recent, ...queued] = await Promise.allSettled([
        gateway.get<FleetStats>('/admin/gpu/stats'),
        gateway.get<TenantUsage>('/admin/gpu/tenants'),
        gateway.get<{ jobs: Job[] }>('/v1/jobs', { limit: LIST_LIMIT }),
        ...QUEUED_JOB_STATES.map((state) =>
          gateway.get<{ jobs: Job[] }>('/v1/jobs', { state, limit: LIST_LIMIT }),
        ),
      ]);
      updated.textContent = `updated ${new Date().toLocaleTimeString()}, every ${REFRESH_MS / 1000} s`;
      mount(
        nodes,
        stats.status === 'fulfilled'
          ? nodesPanel(stats.value)
          : errorPanel(stats.reason, 'the fleet statistics'),
      );
      mount(
        jobs,
        recent.status === 'fulfilled'
          ? jobsPanel(
              recent.value.jobs,
              queued.map((result) => (result.status === 'fulfilled' ? result.value.jobs.length : null)),
            )
          : errorPanel(recent.reason, 'the job list'),
      );
      mount(
        tenants,
        usage.status === 'fulfilled' ? tenantsPanel(usage.value) : errorPanel(usage.reason, 'tenant usage'),
      );
    }, REFRESH_MS);
  },
};

function nodesPanel(stats: FleetStats): HTMLElement[] {
  const t = stats.totals;
  const summary = h(
    'div',
    { class: 'cards' },
    card(
      'Nodes',
      `${t.nodes}`,
      Object.entries(t.nodesByState)
        .map(([state, n]) => `${n} ${state}`)
        .join(' · '),
    ),
    card('Devices', `${t.healthyDevices} / ${t.devices} healthy`, ''),
    card('VRAM', formatUsage(t.vramUsedBytes, t.vramTotalBytes), ''),
    card('Utilization', formatPercent(t.meanUtilization), `max ${formatTemperature(t.maxTemperatureC)}`),
    card('Running jobs', `${t.runningJobs}`, `${t.cpuFallbacks} CPU fallbacks`),
  );
  const rows = stats.nodes.flatMap((node) =>
    node.devices.length === 0
      ? [
          [
            node.nodeId,
            badge(node.state),
            'no GPU (CPU node)',
            '—',
            '—',
            '—',
            formatInstant(node.lastHeartbeatAt),
          ],
        ]
      : node.devices.map((device) => [
          node.nodeId,
          badge(node.state),
          `#${device.index} ${device.name}${device.healthy ? '' : ' (unhealthy)'}`,
          meter(
            device.vram.totalBytes > 0 ? device.vram.usedBytes / device.vram.totalBytes : null,
            `${formatBytes(device.vram.usedBytes)} / ${formatBytes(device.vram.totalBytes)}`,
          ),
          meter(device.utilization, formatPercent(device.utilization)),
          formatTemperature(device.temperatureC),
          formatInstant(node.lastHeartbeatAt),
        ]),
  );
  return [
    h('h2', {}, 'Nodes and devices'),
    summary,
    table(
      ['node', 'state', 'device', 'VRAM used / total', 'utilization', 'temperature', 'last heartbeat'],
      rows,
      'node-table',
      'No node has reported yet.',
    ),
  ];
}

function jobsPanel(recent: Job[], queuedCounts: (number | null)[]): HTMLElement[] {
  const byState = new Map<string, number>();
  for (const job of recent) byState.set(job.state, (byState.get(job.state) ?? 0) + 1);
  const known = queuedCounts.filter((n): n is number => n !== null);
  const capped = known.some((n) => n >= LIST_LIMIT);
  const depth = known.reduce((a, b) => a + b, 0);
  return [
    h('h2', {}, 'Jobs'),
    h(
      'div',
      { class: 'cards' },
      card(
        'Queue depth',
        `${capped ? '≥ ' : ''}${depth}`,
        QUEUED_JOB_STATES.map((state, i) => `${queuedCounts[i] ?? '?'} ${state}`).join(' · '),
      ),
      ...[...byState.entries()]
        .sort()
        .map(([state, n]) => card(state, String(n), `of the latest ${recent.length}`)),
    ),
  ];
}

function tenantsPanel(usage: TenantUsage): HTMLElement[] {
  const rows = usage.tenants.flatMap((tenant) =>
    tenant.quotas
      .filter((line) => line.limit > 0)
      .map((line) => [
        tenant.name + (tenant.suspended ? ' (suspended)' : ''),
        tenant.edition,
        line.quota,
        meter(
          line.used / line.limit,
          `${quotaValue(line.quota, line.used)} / ${quotaValue(line.quota, line.limit)}`,
        ),
        line.source,
      ]),
  );
  return [
    h('h2', {}, 'Quota usage by tenant'),
    table(
      ['tenant', 'edition', 'quota', 'used / limit', 'limit set by'],
      rows,
      'tenant-table',
      'No tenants.',
    ),
    h('p', { class: 'muted' }, usage.usageSource),
  ];
}

function quotaValue(quota: string, value: number): string {
  return quota.startsWith('vramBytes') ? formatBytes(value) : String(Math.round(value * 100) / 100);
}

function card(label: string, value: string, detail: string): HTMLElement {
  return h(
    'div',
    { class: 'card' },
    h('div', { class: 'card-label' }, label),
    h('div', { class: 'card-value' }, value),
    h('div', { class: 'muted' }, detail),
  );
}
