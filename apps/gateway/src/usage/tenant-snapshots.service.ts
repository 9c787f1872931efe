import { Inject, Injectable } from '@nestjs/common';
import { loadTenantPolicies, type TenantPolicy } from '@voxelfleet/persistence';
import { DATA_SOURCE } from '@voxelfleet/platform';
import { GATEWAY_SETTINGS, type GatewaySettings } from '../gateway.settings.js';
import { TtlCache } from './ttl-cache.js';
import type { FleetSnapshot, TenantSnapshot } from '@voxelfleet/scheduling';
import type { DataSource } from 'typeorm';
import { nodeSnapshotOf } from '../fleet/fleet-snapshot.js';
import { FleetViewService } from '../fleet/fleet-view.service.js';
import { EMPTY_USAGE, usageFromNodes } from './tenant-usage.source.js';

/** Builds the scheduling library's snapshots from Postgres (policies) and the fleet view. */
@Injectable()
export class TenantSnapshotsService {
  private readonly policies: TtlCache<Map<string, TenantPolicy>>;

  constructor(
    @Inject(DATA_SOURCE) dataSource: DataSource,
    @Inject(FleetViewService) private readonly fleet: FleetViewService,
    @Inject(GATEWAY_SETTINGS) settings: GatewaySettings,
  ) {
    this.policies = new TtlCache(settings.policyCacheTtlMs, async () => {
      const all = await loadTenantPolicies(dataSource.manager);
      return new Map(all.map((policy) => [policy.id, policy]));
    });
  }

  /** After a change to tenants, editions or quotas made through this process. */
  invalidate(): void {
    this.policies.invalidate();
  }

  async tenants(
    tenantIds?: readonly string[],
    nowMs = Date.now(),
  ): Promise<{ policy: TenantPolicy; snapshot: TenantSnapshot }[]> {
    const all = await this.policies.get();
    const policies =
      tenantIds === undefined
        ? [...all.values()]
        : tenantIds.map((id) => all.get(id)).filter((p): p is TenantPolicy => p !== undefined);
    const usage = usageFromNodes(
      this.fleet.reportingNodes(nowMs),
      policies.map((p) => p.id),
    );
    return policies.map((policy) => ({
      policy,
      snapshot: snapshotOf(policy, usage.get(policy.id) ?? EMPTY_USAGE),
    }));
  }

  /**
   * The whole picture simulate() reads. Running jobs are not known to the gateway until the
   * scheduler's jobs table lands, so `running` is empty: nothing is shown as preemptible.
   */
  async fleetSnapshot(nowMs = Date.now()): Promise<FleetSnapshot> {
    const [tenants, nodes] = await Promise.all([this.tenants(undefined, nowMs), this.fleet.nodes(nowMs)]);
    return {
      nowMs,
      tenants: tenants.map((t) => t.snapshot),
      nodes: nodes.map(nodeSnapshotOf),
      running: [],
    };
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
