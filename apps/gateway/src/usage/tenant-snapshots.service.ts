import { Inject, Injectable } from '@nestjs/common';
import { loadTenantPolicies, type TenantPolicy } from '@voxelfleet/persistence';
import { DATA_SOURCE } from '@voxelfleet/platform';
import { GATEWAY_SETTINGS, type GatewaySettings } from '../gateway.settings.js';
import { TtlCache } from './ttl-cache.js';
import {
  snapshotDigest,
  type FleetSnapshot,
  type RunningJob,
  type TenantSnapshot,
  type TenantUsage,
} from '@voxelfleet/scheduling';
import type { DataSource } from 'typeorm';
import { FleetViewService } from '../fleet/fleet-view.service.js';
import { frozenCopy } from './frozen-copy.js';
import { EMPTY_USAGE, loadRunningJobs, usageFromJobs } from './tenant-usage.source.js';

/**
 * How long simulate reuses one assembled fleet picture. Its sources are cached for longer
 * (policyCacheTtlMs); reusing the assembly for a moment spares rebuilding, re-serialising and
 * re-hashing every tenant, node and running job on each request.
 */
const SNAPSHOT_REUSE_MS = 100;

/**
 * One frozen fleet snapshot as of its own time (`snapshot.nowMs`, when it was assembled) and
 * its digest, computed once for every decision made on it.
 */
export interface FleetPicture {
  snapshot: FleetSnapshot;
  digest: string;
}

/** Builds the scheduling library's snapshots from Postgres (policies) and the fleet view. */
@Injectable()
export class TenantSnapshotsService {
  private readonly policies: TtlCache<Map<string, TenantPolicy>>;
  private readonly usage: TtlCache<Map<string, TenantUsage>>;
  private readonly running: TtlCache<RunningJob[]>;
  private assembled?: FleetPicture;

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

  /**
   * The whole picture simulate() reads: policies, usage, nodes and the jobs on them, as of
   * the time it was assembled, at most SNAPSHOT_REUSE_MS before `nowMs`.
   */
  async fleetPicture(nowMs = Date.now()): Promise<FleetPicture> {
    const reuse = this.assembled;
    if (reuse && nowMs >= reuse.snapshot.nowMs && nowMs - reuse.snapshot.nowMs < SNAPSHOT_REUSE_MS)
      return reuse;
    const [tenants, running] = await Promise.all([this.tenants(), this.running.get()]);
    const nodes = await this.fleet.picture(running, nowMs);
    // A frozen copy: the cached sources stay writable by their owners, the picture does not
    // change, so its digest holds for as long as it is used.
    const snapshot = frozenCopy({
      nowMs,
      tenants: tenants.map((t) => t.snapshot),
      nodes,
      running,
    });
    const picture = { snapshot, digest: snapshotDigest(snapshot) };
    this.assembled = picture;
    return picture;
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
    ...(policy.cohort === undefined ? {} : { cohort: policy.cohort, borrowingLimit: policy.borrowingLimit }),
  };
}
