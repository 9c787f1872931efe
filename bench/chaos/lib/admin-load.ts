import { call, type CallResult } from './http-client.js';

export interface AdminTarget {
  gatewayUrl: string;
  adminKey: string;
  tenant: { tenantId: string; key: string };
}

interface AdminCall {
  name: string;
  run(target: AdminTarget, seq: number): Promise<CallResult>;
}

/** The admin and read traffic an operator's console and a tenant's dashboards make. */
const CALLS: AdminCall[] = [
  { name: 'GET /v1/quota', run: (t) => call('GET', `${t.gatewayUrl}/v1/quota`, { key: t.tenant.key }) },
  {
    name: 'GET /v1/jobs',
    run: (t) => call('GET', `${t.gatewayUrl}/v1/jobs?limit=20`, { key: t.tenant.key }),
  },
  {
    name: 'GET /admin/gpu/stats',
    run: (t) => call('GET', `${t.gatewayUrl}/admin/gpu/stats`, { key: t.adminKey }),
  },
  {
    name: 'GET /admin/gpu/nodes',
    run: (t) => call('GET', `${t.gatewayUrl}/admin/gpu/nodes`, { key: t.adminKey }),
  },
  {
    name: 'POST /admin/gpu/simulate',
    run: (t) =>
      call('POST', `${t.gatewayUrl}/admin/gpu/simulate`, {
        key: t.adminKey,
        body: {
          tenantId: t.tenant.tenantId,
          vramBytesPerDevice: 0,
          gpus: 1,
          priority: 'high',
          cpuFallbackAllowed: true,
        },
      }),
  },
  {
    // A write with its audit entry, so the chain grows under the faults.
    name: 'PATCH /admin/tenants/:id',
    run: (t, seq) =>
      call('PATCH', `${t.gatewayUrl}/admin/tenants/${t.tenant.tenantId}`, {
        key: t.adminKey,
        body: { weight: 1 + (seq % 3) },
      }),
  },
  {
    name: 'GET /admin/audit',
    run: (t) => call('GET', `${t.gatewayUrl}/admin/audit?limit=20`, { key: t.adminKey }),
  },
];

/** Admin calls at a steady rate; latency per route, and every 5xx or dropped answer. */
export class AdminLoad {
  readonly latenciesMs = new Map<string, number[]>();
  readonly failures: { atMs: number; name: string; status: number; detail: string }[] = [];
  private timer?: NodeJS.Timeout;
  private seq = 0;
  private busy = 0;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly target: AdminTarget,
    private readonly perSecond: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), 1000 / this.perSecond);
  }

  private tick(): void {
    if (this.busy >= 16) return;
    this.seq += 1;
    const seq = this.seq;
    const chosen = CALLS[seq % CALLS.length] as AdminCall;
    this.busy += 1;
    const pending = chosen.run(this.target, seq).then((result) => {
      this.busy -= 1;
      this.pending.delete(pending);
      if (result.status >= 200 && result.status < 300) {
        const list = this.latenciesMs.get(chosen.name) ?? [];
        list.push(result.ms);
        this.latenciesMs.set(chosen.name, list);
      } else {
        this.failures.push({
          atMs: Date.now(),
          name: chosen.name,
          status: result.status,
          detail: result.error ?? result.text.slice(0, 200),
        });
      }
    });
    this.pending.add(pending);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all([...this.pending]);
  }
}
