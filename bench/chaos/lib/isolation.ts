import type { ChaosStack, TenantCredentials } from './chaos-stack.js';
import { call } from './http-client.js';
import { io } from 'socket.io-client';
import { changedTables, snapshotTables } from './fuzz/table-snapshot.js';
import { keyNeedles } from './key-needles.js';

export interface IsolationCase {
  route: string;
  status: number | string;
  ok: boolean;
  detail: string;
}

export interface IsolationResult {
  cases: IsolationCase[];
  /** Secrets (full keys or their secret part) found in process output or /metrics. */
  keyLeaks: { where: string; excerpt: string }[];
  linesScanned: number;
  metricsScanned: number;
}

/** Tenant A's objects that tenant B's key is aimed at. */
export interface VictimObjects {
  tenant: TenantCredentials;
  jobId: string;
  workflowId: string;
  rigId: string;
  streamId: string;
  grantId: string;
}

/** A's job, workflow and grant (the rig and stream come from the running stream). */
export async function victimObjects(
  stack: ChaosStack,
  tenant: TenantCredentials,
  rigId: string,
  streamId: string,
): Promise<VictimObjects> {
  const gw = stack.gateway.url;
  const job = await call('POST', `${gw}/v1/jobs`, {
    key: tenant.key,
    body: { kernel: 'saxpy', inputs: { a: 1, x: [1], y: [1] }, priority: 'normal', cpuFallbackAllowed: true },
  });
  const workflow = await call('POST', `${gw}/v1/workflows`, {
    key: tenant.key,
    body: {
      steps: [
        {
          key: 'one',
          kernel: 'saxpy',
          inputs: { a: 1, x: [1], y: [1] },
          priority: 'normal',
          cpuFallbackAllowed: true,
        },
      ],
    },
  });
  if (job.status !== 201 || workflow.status !== 201)
    throw new Error(`fixtures not created: ${job.text} ${workflow.text}`);
  const { rows } = await stack.db.query<{ id: string }>(
    `SELECT id FROM gpu_grants WHERE tenant_id = $1 LIMIT 1`,
    [tenant.tenantId],
  );
  return {
    tenant,
    jobId: (job.body as { id: string }).id,
    workflowId: (workflow.body as { id: string }).id,
    rigId,
    streamId,
    grantId: rows[0]?.id ?? '',
  };
}

/**
 * Tenant B's key against every tenant-scoped route aimed at tenant A's objects: an error
 * (4xx) for single objects and mutations, lists that hold none of A's ids, A's rows unchanged;
 * on the socket, a refused subscribe with a `stream.error` and no update of A's stream.
 */
export async function checkIsolation(
  stack: ChaosStack,
  a: VictimObjects,
  b: TenantCredentials,
): Promise<IsolationCase[]> {
  const gw = stack.gateway.url;
  const tr = stack.tracker.url;
  const aIds = [
    a.tenant.tenantId,
    a.tenant.principalId,
    a.jobId,
    a.workflowId,
    a.rigId,
    a.streamId,
    a.grantId,
  ];
  const single: [string, string, string, unknown?][] = [
    ['GET', gw, `/admin/tenants/${a.tenant.tenantId}`],
    ['PATCH', gw, `/admin/tenants/${a.tenant.tenantId}`, { weight: 3 }],
    ['DELETE', gw, `/admin/tenants/${a.tenant.tenantId}`],
    ['POST', gw, `/admin/tenants/${a.tenant.tenantId}/suspend`, { reason: 'isolation' }],
    ['POST', gw, `/admin/tenants/${a.tenant.tenantId}/resume`, {}],
    ['PUT', gw, `/admin/tenants/${a.tenant.tenantId}/quota`, { gpus: 1 }],
    ['GET', gw, `/admin/principals/${a.tenant.principalId}`],
    ['POST', gw, `/admin/principals/${a.tenant.principalId}/keys`, {}],
    [
      'POST',
      gw,
      `/admin/principals`,
      { tenantId: a.tenant.tenantId, kind: 'user', name: 'intruder', roles: ['tenant-admin'] },
    ],
    [
      'POST',
      gw,
      `/admin/grants`,
      { principalId: a.tenant.principalId, kernels: ['**'], deviceClasses: ['*'], cpuFallback: true },
    ],
    ['DELETE', gw, `/admin/grants/${a.grantId}`],
    ['GET', gw, `/v1/jobs/${a.jobId}`],
    ['POST', gw, `/v1/jobs/${a.jobId}/cancel`, {}],
    ['GET', gw, `/v1/workflows/${a.workflowId}`],
    [
      'POST',
      gw,
      `/v1/jobs`,
      {
        tenantId: a.tenant.tenantId,
        kernel: 'saxpy',
        inputs: { a: 1, x: [1], y: [1] },
        priority: 'normal',
        cpuFallbackAllowed: true,
      },
    ],
    ['GET', tr, `/v1/rigs/${a.rigId}`],
    ['PATCH', tr, `/v1/rigs/${a.rigId}`, { name: 'taken' }],
    ['DELETE', tr, `/v1/rigs/${a.rigId}`],
    ['GET', tr, `/v1/streams/${a.streamId}`],
    ['PATCH', tr, `/v1/streams/${a.streamId}`, { name: 'taken' }],
    ['DELETE', tr, `/v1/streams/${a.streamId}`],
    ['POST', tr, `/v1/streams/${a.streamId}/pause`, {}],
    ['POST', tr, `/v1/streams/${a.streamId}/stop`, {}],
    ['POST', tr, `/v1/streams/${a.streamId}/start`, {}],
    ['POST', tr, `/v1/streams/${a.streamId}/frames`, { t: 1e9, cameras: [null, null, null] }],
    ['GET', tr, `/v1/streams/${a.streamId}/tracks`],
    [
      'POST',
      tr,
      `/v1/streams`,
      { name: 'intruder', rigId: a.rigId, grid: { origin: [0, 0, 0], dims: [8, 8, 8], voxelSize: 0.5 } },
    ],
  ];
  const lists: [string, string][] = [
    [gw, '/admin/tenants'],
    [gw, '/admin/principals'],
    [gw, `/admin/principals?tenantId=${a.tenant.tenantId}`],
    [gw, '/admin/grants'],
    [gw, `/admin/grants?tenantId=${a.tenant.tenantId}`],
    [gw, `/v1/quota?tenantId=${a.tenant.tenantId}`],
    [gw, '/v1/jobs?limit=100'],
    [gw, `/v1/jobs?tenantId=${a.tenant.tenantId}`],
    [gw, `/admin/audit?tenantId=${a.tenant.tenantId}`],
    [gw, `/admin/audit/export?tenantId=${a.tenant.tenantId}`],
    [gw, '/admin/gpu/tenants'],
    [gw, '/v1/me'],
    [tr, '/v1/rigs'],
    [tr, '/v1/streams'],
  ];
  const cases: IsolationCase[] = [];
  const leaks = (text: string) => aIds.filter((id) => id && text.includes(id));
  for (const [method, base, path, body] of single) {
    const before = await snapshotTables(stack.db);
    const res = await call(method, `${base}${path}`, { key: b.key, body });
    const changed = changedTables(before, await snapshotTables(stack.db)).filter((t) => t !== 'jobs');
    const route = `${method} ${path.replace(/[0-9a-f-]{36}/g, ':id')}`;
    const leaked = res.status < 400 ? leaks(res.text) : [];
    const refused = res.status >= 400 && res.status < 500;
    cases.push({
      route,
      status: res.status,
      ok: refused && changed.length === 0 && leaked.length === 0,
      detail:
        [
          refused ? '' : 'not refused',
          changed.length ? `changed ${changed.join(',')}` : '',
          leaked.length ? `leaked ${leaked.length} ids` : '',
        ]
          .filter(Boolean)
          .join('; ') || 'refused',
    });
  }
  for (const [base, path] of lists) {
    const res = await call('GET', `${base}${path}`, { key: b.key });
    const leaked = res.status < 400 ? leaks(res.text) : [];
    cases.push({
      route: `GET ${path.replace(/[0-9a-f-]{36}/g, ':id')}`,
      status: res.status,
      ok: leaked.length === 0 && res.status < 500 && res.status !== 0,
      detail: leaked.length
        ? `holds ${leaked.length} of tenant A's ids`
        : res.status < 400
          ? "none of tenant A's data"
          : 'refused',
    });
  }
  cases.push(await socketIsolation(tr, b.key, a.streamId));
  return cases;
}

/** B subscribes to A's stream: the ack refuses, a stream.error arrives, no update of A's stream. */
async function socketIsolation(trackerUrl: string, key: string, streamId: string): Promise<IsolationCase> {
  const socket = io(`${trackerUrl}/tracks`, {
    transports: ['websocket'],
    auth: { token: key },
    reconnection: false,
  });
  const updates: unknown[] = [];
  const errors: unknown[] = [];
  socket.on('track.update', (u: unknown) => updates.push(u));
  socket.on('stream.error', (e: unknown) => errors.push(e));
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const ack = (await socket.timeout(5_000).emitWithAck('subscribe', { streamId })) as { ok: boolean };
    // The stream keeps running for its owner; give updates time to (not) arrive.
    await new Promise((r) => setTimeout(r, 2_000));
    const ok = ack.ok === false && errors.length > 0 && updates.length === 0;
    return {
      route: 'socket.io /tracks subscribe to another tenant stream',
      status: ack.ok ? 'ack ok' : 'ack refused',
      ok,
      detail: `${errors.length} stream.error, ${updates.length} track.update received`,
    };
  } catch (error) {
    return {
      route: 'socket.io /tracks subscribe to another tenant stream',
      status: 'error',
      ok: false,
      detail: (error as Error).message,
    };
  } finally {
    socket.close();
  }
}

/**
 * Every line every process printed (checked as it arrived, see ManagedProcess.needles) and
 * every app's /metrics, searched for each API key the suite handed out, whole and by its
 * secret part alone.
 */
export async function scanForKeys(
  stack: ChaosStack,
  secrets: readonly string[],
): Promise<Pick<IsolationResult, 'keyLeaks' | 'linesScanned' | 'metricsScanned'>> {
  const needles = keyNeedles(secrets);
  const keyLeaks: IsolationResult['keyLeaks'] = [];
  let linesScanned = 0;
  const processes = [...stack.apps.map((app) => app.process), stack.redis.process, stack.postgres.process];
  for (const proc of processes) {
    linesScanned += proc.linesSeen;
    for (const hit of proc.needleHits)
      keyLeaks.push({ where: `${proc.spec.name} output`, excerpt: hit.slice(0, 200) });
  }
  let metricsScanned = 0;
  for (const app of stack.apps) {
    const res = await call('GET', `${app.url}/metrics`);
    metricsScanned += 1;
    const hit = needles.find((needle) => res.text.includes(needle));
    if (hit) keyLeaks.push({ where: `${app.name} /metrics`, excerpt: hit.slice(0, 6) });
  }
  return { keyLeaks, linesScanned, metricsScanned };
}
