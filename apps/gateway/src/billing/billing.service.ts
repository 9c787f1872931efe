import { Inject, Injectable } from '@nestjs/common';
import { AuditWriter, auditDiffOf } from '@voxelfleet/audit';
import { AccessControl, type RequestActor } from '@voxelfleet/auth';
import type { NodeHeartbeat } from '@voxelfleet/contracts';
import { DATA_SOURCE, DomainError } from '@voxelfleet/platform';
import {
  chargeback,
  nodeSnapshotOf,
  priceSheetProblems,
  type Bill,
  type DeviceCapability,
  type MeteredRun,
  type PriceSheet,
} from '@voxelfleet/scheduling';
import type { DataSource, EntityManager } from 'typeorm';
import { auditOrigin } from '../common/actor-scope.js';
import { storedNodeReport } from '../fleet/fleet-snapshot.js';
import type { BillingQuery, PutPricesDto } from './billing.dto.js';

/** Until a platform admin sets prices, usage is still metered, at no cost. */
const NO_PRICES: PriceSheet = { currency: 'USD', deviceClasses: [], cpuFallbackPerSecond: 0 };
const DAY_MS = 86_400_000;
/** The longest window one report covers (a year and a day, for leap years and time zones). */
const MAX_WINDOW_MS = 367 * DAY_MS;

export interface PriceSheetView extends PriceSheet {
  updatedAt: string | null;
  updatedBy: string | null;
}

export interface BillingReport {
  from: string;
  to: string;
  currency: string;
  prices: PriceSheetView;
  lines: Bill['lines'];
  tenants: Bill['tenants'];
}

interface PriceRow {
  currency: string;
  device_classes: PriceSheet['deviceClasses'];
  cpu_fallback_per_second: string;
  updated_at: Date;
  updated_by: string | null;
}

interface RunRow {
  id: string;
  tenant_id: string;
  target: string | null;
  node_id: string | null;
  device_ids: string[];
  placed_at: Date | null;
  started_at: Date | null;
  ended_at: Date | null;
}

/**
 * Chargeback: the price sheet (platform admins, audited) and usage and cost per tenant and
 * device class over a window, metered from the jobs' real start and end times.
 */
@Injectable()
export class BillingService {
  constructor(
    @Inject(DATA_SOURCE) private readonly db: DataSource,
    @Inject(AuditWriter) private readonly audit: AuditWriter,
    @Inject(AccessControl) private readonly access: AccessControl,
  ) {}

  async prices(manager: EntityManager = this.db.manager): Promise<PriceSheetView> {
    const rows: PriceRow[] = await manager.query(
      `SELECT currency, device_classes, cpu_fallback_per_second, updated_at, updated_by FROM billing_prices`,
    );
    const row = rows[0];
    if (!row) return { ...NO_PRICES, updatedAt: null, updatedBy: null };
    return {
      currency: row.currency,
      deviceClasses: row.device_classes,
      cpuFallbackPerSecond: Number(row.cpu_fallback_per_second),
      updatedAt: row.updated_at.toISOString(),
      updatedBy: row.updated_by,
    };
  }

  async setPrices(actor: RequestActor, dto: PutPricesDto): Promise<PriceSheetView> {
    const sheet: PriceSheet = {
      currency: dto.currency,
      deviceClasses: dto.deviceClasses.map((d) => ({
        deviceClass: d.deviceClass.trim(),
        perGpuSecond: d.perGpuSecond,
      })),
      cpuFallbackPerSecond: dto.cpuFallbackPerSecond,
    };
    const problems = priceSheetProblems(sheet);
    if (problems.length > 0) throw new DomainError(400, 'bad_request', problems.join('; '));
    return this.db.transaction(async (manager) => {
      // The lock orders concurrent sheets, so each audit entry's "before" is the one it replaced.
      await manager.query(`SELECT 1 FROM billing_prices FOR UPDATE`);
      const before = await this.prices(manager);
      await manager.query(
        `INSERT INTO billing_prices (id, currency, device_classes, cpu_fallback_per_second, updated_at, updated_by)
         VALUES (1, $1, $2::jsonb, $3, clock_timestamp(), $4)
         ON CONFLICT (id) DO UPDATE SET currency = EXCLUDED.currency, device_classes = EXCLUDED.device_classes,
           cpu_fallback_per_second = EXCLUDED.cpu_fallback_per_second, updated_at = EXCLUDED.updated_at,
           updated_by = EXCLUDED.updated_by`,
        [sheet.currency, JSON.stringify(sheet.deviceClasses), sheet.cpuFallbackPerSecond, actor.principal.id],
      );
      await this.audit.append(manager, {
        tenantId: null,
        ...auditOrigin(actor),
        action: 'billing.prices.set',
        resource: { type: 'billing-prices', id: null },
        outcome: 'succeeded',
        reason: null,
        diff: auditDiffOf(before.updatedAt === null ? null : sheetFields(before), sheetFields(sheet)),
      });
      return this.prices(manager);
    });
  }

  async report(actor: RequestActor, query: BillingQuery, nowMs = Date.now()): Promise<BillingReport> {
    const fromMs = query.from === undefined ? nowMs - (nowMs % DAY_MS) : Date.parse(query.from);
    const toMs = query.to === undefined ? nowMs : Date.parse(query.to);
    if (!(toMs > fromMs)) throw new DomainError(400, 'bad_request', 'to: must be after from');
    if (toMs - fromMs > MAX_WINDOW_MS) {
      throw new DomainError(400, 'bad_request', 'to: a window covers at most 367 days');
    }
    const tenantId = await this.scope(actor, query.tenantId);
    return this.bill(fromMs, toMs, nowMs, tenantId);
  }

  /** The bill for a window, for one tenant or all: also what the billing metrics read. */
  async bill(fromMs: number, toMs: number, nowMs: number, tenantId: string | null): Promise<BillingReport> {
    const [prices, runs] = await Promise.all([this.prices(), this.runs(fromMs, toMs, nowMs, tenantId)]);
    const bill = chargeback(runs, prices, { fromMs, toMs, nowMs });
    return {
      from: new Date(fromMs).toISOString(),
      to: new Date(toMs).toISOString(),
      currency: prices.currency,
      prices,
      lines: bill.lines,
      tenants: bill.tenants,
    };
  }

  /** The one tenant a caller may see, or null for a platform caller's whole fleet. */
  private async scope(actor: RequestActor, requested: string | undefined): Promise<string | null> {
    const own = actor.principal.tenantId;
    const tenantId = requested ?? own;
    if (tenantId === null) return null;
    const rows: { id: string }[] = await this.db.query(`SELECT id FROM tenants WHERE id = $1`, [tenantId]);
    await this.access.ensure(actor, 'read:billing', rows.length > 0 ? { tenantId } : null, {
      type: 'tenant',
      id: tenantId,
    });
    return tenantId;
  }

  /**
   * Every job that held room inside the window, with its real times: placed, started (the
   * node's report), and ended: finished (succeeded, failed, cancelled, expired), or, for a
   * run stopped without a finish time (preempted or its node lost, then requeued), the moment
   * it left the node, from its state history. Still placed or running: no end yet (billed up
   * to now). Where it ran comes from the placement, which a requeue keeps (it clears the
   * row's node and devices). Two index-backed halves: finished jobs by `jobs_finished_at`,
   * unfinished ones by the active and queue indexes, so a window reads its own jobs only.
   */
  private async runs(
    fromMs: number,
    toMs: number,
    nowMs: number,
    tenantId: string | null,
  ): Promise<MeteredRun[]> {
    const columns = `j.id, j.tenant_id, j.placement->>'target' AS target, j.placement->>'nodeId' AS node_id,
              coalesce(ARRAY(SELECT jsonb_array_elements_text(j.placement->'deviceIds')), '{}') AS device_ids,
              j.placed_at, j.started_at`;
    const rows: RunRow[] = await this.db.query(
      `SELECT ${columns}, j.finished_at AS ended_at
         FROM jobs j
        WHERE j.finished_at > $1 AND j.placed_at < $2 AND j.placement IS NOT NULL
          AND ($3::uuid IS NULL OR j.tenant_id = $3)
       UNION ALL
       SELECT ${columns},
              CASE WHEN j.state IN ('placed', 'running') THEN NULL
                   ELSE (SELECT min(t.at) FROM job_transitions t
                          WHERE t.job_id = j.id AND t.from_state IN ('placed', 'running')
                            AND t.to_state NOT IN ('placed', 'running')
                            AND t.at >= coalesce(j.started_at, j.placed_at)) END
         FROM jobs j
        WHERE (j.state IN ('placed', 'running') OR j.state IN ('submitted', 'admitted', 'requeued'))
          AND j.finished_at IS NULL AND j.placed_at < $2 AND j.placement IS NOT NULL
          AND ($3::uuid IS NULL OR j.tenant_id = $3)`,
      [new Date(fromMs), new Date(toMs), tenantId],
    );
    const devices = await this.deviceCapabilities(rows);
    return rows.map((row) => ({
      jobId: row.id,
      tenantId: row.tenant_id,
      target: row.target === 'gpu' ? 'gpu' : 'cpu',
      devices: row.device_ids.map((id) => devices.get(`${row.node_id ?? ''}/${id}`) ?? null),
      placedAtMs: row.placed_at?.getTime() ?? null,
      startedAtMs: row.started_at?.getTime() ?? null,
      endedAtMs: row.ended_at?.getTime() ?? null,
    }));
  }

  /** Node and device id → capability, from the nodes' latest heartbeats (as placement sees them). */
  private async deviceCapabilities(rows: readonly RunRow[]): Promise<Map<string, DeviceCapability>> {
    const nodeIds = [
      ...new Set(rows.filter((r) => r.device_ids.length > 0 && r.node_id).map((r) => r.node_id)),
    ];
    const capabilities = new Map<string, DeviceCapability>();
    if (nodeIds.length === 0) return capabilities;
    const nodes: { id: string; last_heartbeat_at: Date; heartbeat: NodeHeartbeat }[] = await this.db.query(
      `SELECT id, last_heartbeat_at, heartbeat FROM nodes WHERE id = ANY($1::text[])`,
      [nodeIds],
    );
    for (const row of nodes) {
      // Liveness does not matter here: a device keeps its class after its node goes quiet.
      const snapshot = nodeSnapshotOf(storedNodeReport(row), 'ready', []);
      for (const device of snapshot.devices)
        capabilities.set(`${snapshot.id}/${device.id}`, device.capability);
    }
    return capabilities;
  }
}

function sheetFields(sheet: PriceSheet): Record<string, unknown> {
  return {
    currency: sheet.currency,
    deviceClasses: sheet.deviceClasses.map((d) => ({
      deviceClass: d.deviceClass,
      perGpuSecond: d.perGpuSecond,
    })),
    cpuFallbackPerSecond: sheet.cpuFallbackPerSecond,
  };
}
