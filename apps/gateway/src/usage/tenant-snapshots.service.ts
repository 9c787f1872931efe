import { Inject, Injectable } from '@nestjs/common';
import { loadTenantPolicies, type TenantPolicy } from '@voxelfleet/persistence';
import { DATA_SOURCE } from '@voxelfleet/platform';
import { GATEWAY_SETTINGS, type GatewaySettings } from '../gateway.settings.js';
import { TtlCache } from './ttl-cache.js';
import type { FleetSnapshot, RunningJob, TenantSnapshot, TenantUsage } from '@voxelfleet/scheduling';
import type { DataSource } from 'typeorm';
import { nodeSnapshotOf } from '../fleet/fleet-snapshot.js';
import { FleetViewService } from '../fleet/fleet-view.service.js';
import { frozenCopy } from './frozen-copy.js';
import { EMPTY_USAGE, loadRunningJobs, usageFromJobs } from './tenant-usage.source.js';

/**
 * How long simulate reuses one assembled fleet picture. Its sources are cached for longer
 * (policyCacheTtlMs); reusing the assembly for a moment spares rebuilding and re-serialising
 * every tenant, node and running job on each request.
 */
const SNAPSHOT_REUSE_MS = 100;

/** Builds the scheduling library's snapshots from Postgres (policies) and the fleet view. */
@Injectable()
export class TenantSnapshotsService {
  private readonly policies: TtlCache<Map<string, TenantPolicy>>;
  private readonly usage: TtlCache<Map<string, TenantUsage>>;
  private readonly running: TtlCache<RunningJob[]>;
  private assembled?: { atMs: number; parts: Omit<FleetSnapshot, 'nowMs'> };

  constructor(
    @Inject(DATA_SOURCE) dataSource: DataSource,
    @Inject(FleetViewService) private readonly fleet: FleetViewService,
    @Inject(GATEWAY_SETTINGS) settings: GatewaySettings,
  ) {
    this.policies = new TtlCache(settings.policyCacheTtlMs, async () => {
      const all = await loadTenantPolicies(dataSource.manager);
      return new Map(all.map((policy) => [policy.id, policy]));
    });
    // One aggregate over all tenants, reused for a moment: a quota read costs no query.
    this.usage = new TtlCache(settings.policyCacheTtlMs, () => usageFromJobs(dataSource.manager, Date.now()));
    this.running = new TtlCache(settings.policyCacheTtlMs, () => loadRunningJobs(dataSource.manager));
  }

  /** After a change to tenants, editions or quotas made through this process. */
  invalidate(): void {
    this.policies.invalidate();
    this.usage.invalidate();
    this.running.invalidate();
    this.assembled = undefined;
  }

  async tenants(
    tenantIds?: readonly string[],
  ): Promise<{ policy: TenantPolicy; snapshot: TenantSnapshot }[]> {
    const [all, usage] = await Promise.all([this.policies.get(), this.usage.get()]);
    const policies =
      tenantIds === undefined
        ? [...all.values()]
        : tenantIds.map((id) => all.get(id)).filter((p): p is TenantPolicy => p !== undefined);
    return policies.map((policy) => ({
      policy,
      snapshot: snapshotOf(policy, usage.get(policy.id) ?? EMPTY_USAGE),
    }));
  }

  /** The whole picture simulate() reads: policies, usage, nodes and the jobs on them. */
  async fleetSnapshot(nowMs = Date.now()): Promise<FleetSnapshot> {
    const reuse = this.assembled;
    if (reuse && nowMs >= reuse.atMs && nowMs - reuse.atMs < SNAPSHOT_REUSE_MS)
      return { nowMs, ...reuse.parts };
    const [tenants, nodes, running] = await Promise.all([
      this.tenants(),
      this.fleet.nodes(nowMs),
      this.running.get(),
    ]);
    // A frozen copy: the cached sources stay writable by their owners, the picture does not change.
    const parts = frozenCopy({
      tenants: tenants.map((t) => t.snapshot),
      nodes: nodes.map((node) => nodeSnapshotOf(node, running)),
      running,
    });
    this.assembled = { atMs: nowMs, parts };
    return { nowMs, ...parts };
  }
}

function snapshotOf(policy: TenantPolicy, usage: TenantSnapshot['usage']): TenantSnapshot {
  return {
    id: policy.id,
    suspended: policy.suspended,
    edition: policy.edition,
    quota: policy.quota,
    usage,
    weight: policy.weight,
    ...(policy.placementPolicy === undefined ? {} : { placementPolicy: policy.placementPolicy }),
  };
}
