import { loadTenantPolicies, tenantSnapshotOf, type TenantPolicy } from '@voxelfleet/persistence';
import {
  DAY_MS,
  DEFAULT_FAIR_SHARE_HALF_LIFE_MS,
  effectiveLimit,
  RATE_WINDOW_MS,
  type RunningJob,
  type TenantSnapshot,
} from '@voxelfleet/scheduling';
import type { DataSource } from 'typeorm';
import type { JobStore, TenantHistory } from '../jobs/job-store.js';

const POLICY_TTL_MS = 1_000;
const HISTORY_TTL_MS = 2_000;

/**
 * Builds the tenants' side of a snapshot: their policies (edition, quota, weight) from the
 * gateway's tables, and their usage. Running usage comes from the active jobs of this very
 * pass; the rate window from the placements this leader made (seeded from the table when it
 * takes over); the GPU-second budget and fair-share history from an aggregate refreshed every
 * couple of seconds, which is plenty for budgets counted in GPU-seconds per day.
 */
export class TenantView {
  private policies: TenantPolicy[] = [];
  private policiesAtMs = 0;
  private history = new Map<string, TenantHistory>();
  private historyAtMs = 0;
  private readonly placements = new Map<string, number[]>();
  private policiesLoaded = false;
  private historyLoaded = false;
  private policiesRead?: Promise<void>;
  private historyRead?: Promise<void>;

  constructor(
    private readonly db: DataSource,
    private readonly store: JobStore,
    private readonly halfLifeMs = DEFAULT_FAIR_SHARE_HALF_LIFE_MS,
  ) {}

  /** Called when this instance becomes leader: the rate window starts from what is stored. */
  async seed(nowMs: number): Promise<void> {
    this.placements.clear();
    for (const row of await this.store.recentPlacements(new Date(nowMs - RATE_WINDOW_MS))) {
      this.recordPlacement(row.tenant_id, row.placed_at.getTime());
    }
    this.policiesAtMs = 0;
    this.historyAtMs = 0;
    this.policiesLoaded = false;
    this.historyLoaded = false;
  }

  recordPlacement(tenantId: string, atMs: number): void {
    let times = this.placements.get(tenantId);
    if (!times) {
      times = [];
      this.placements.set(tenantId, times);
    }
    times.push(atMs);
  }

  /** A placement recorded before its pass committed, and which did not commit after all. */
  forgetPlacement(tenantId: string, atMs: number): void {
    const times = this.placements.get(tenantId);
    const at = times?.lastIndexOf(atMs) ?? -1;
    if (times && at >= 0) times.splice(at, 1);
  }

  /** `passSize`: the most jobs the coming pass can place, which bounds how far usage can grow. */
  async snapshot(
    active: readonly RunningJob[],
    nowMs: number,
    passSize = Infinity,
  ): Promise<TenantSnapshot[]> {
    await this.refresh(nowMs);
    const running = new Map<string, { vram: number; gpus: number; jobs: number }>();
    for (const job of active) {
      // A run being stopped holds room on its node, not its tenant's quota: its job is queued
      // again (preempted) or over (cancelled), as the gateway's usage shows it.
      if (job.stopping) continue;
      const entry = running.get(job.tenantId) ?? { vram: 0, gpus: 0, jobs: 0 };
      entry.vram += job.vramBytesPerDevice * job.deviceIds.length;
      entry.gpus += job.deviceIds.length;
      entry.jobs += 1;
      running.set(job.tenantId, entry);
    }
    return this.policies.map((policy) => {
      const tenant: TenantSnapshot = tenantSnapshotOf(policy);
      const use = running.get(policy.id);
      const history = this.history.get(policy.id);
      return {
        ...tenant,
        usage: {
          vramBytes: use?.vram ?? 0,
          gpus: use?.gpus ?? 0,
          runningJobs: use?.jobs ?? 0,
          recentSubmissionsMs: this.window(
            policy.id,
            nowMs,
            effectiveLimit(tenant, 'jobsPerMinute').limit,
            passSize,
          ),
          gpuSecondsToday: history?.gpuSecondsToday ?? 0,
          dayResetsAtMs: startOfUtcDay(nowMs) + DAY_MS,
          trackingStreams: 0,
        },
        decayedUsage: { gpuSeconds: history?.decayedGpuSeconds ?? 0, atMs: nowMs },
      };
    });
  }

  /**
   * Policies and history older than their TTL are read again. A pass waits for the read only
   * when there is nothing to use yet (the first pass, a new leader); otherwise it goes on with
   * what it has while the read runs, so a pass never waits on an aggregate over the jobs table.
   */
  private async refresh(nowMs: number): Promise<void> {
    if (nowMs - this.policiesAtMs >= POLICY_TTL_MS && !this.policiesRead) {
      this.policiesAtMs = nowMs;
      this.policiesRead = background(
        loadTenantPolicies(this.db.manager).then((policies) => {
          this.policies = policies;
          this.policiesLoaded = true;
        }),
        () => (this.policiesRead = undefined),
        () => (this.policiesAtMs = 0),
      );
    }
    if (nowMs - this.historyAtMs >= HISTORY_TTL_MS && !this.historyRead) {
      this.historyAtMs = nowMs;
      this.historyRead = background(
        this.store.tenantHistory(new Date(startOfUtcDay(nowMs)), this.halfLifeMs).then((rows) => {
          this.history = new Map(rows.map((row) => [row.tenantId, row]));
          this.historyLoaded = true;
        }),
        () => (this.historyRead = undefined),
        () => (this.historyAtMs = 0),
      );
    }
    // Nothing to go on yet: wait (and fail the pass if the read fails).
    if (!this.policiesLoaded) await this.policiesRead;
    if (!this.historyLoaded) await this.historyRead;
  }

  /**
   * Placements inside the rate window. Only the newest `limit` matter: admission needs the
   * count (capped at the limit) and the time the oldest of those ages out. And when even a
   * pass that placed all it considers could not reach the limit, no decision of the pass
   * can depend on the window, so it is left empty: a busy tenant's minute of placements
   * would otherwise be copied on every placement of the pass.
   */
  private window(tenantId: string, nowMs: number, limit: number, passSize: number): number[] {
    const times = this.placements.get(tenantId);
    if (!times) return [];
    let first = 0;
    while (first < times.length && (times[first] ?? 0) <= nowMs - RATE_WINDOW_MS) first += 1;
    if (first > 0) times.splice(0, first);
    if (times.length + passSize < limit) return [];
    return times.length > limit ? times.slice(times.length - limit) : [...times];
  }
}

/**
 * A read that may run on while passes go on: `settled` runs when it ends, `failed` when it
 * failed (so the next pass tries again). The returned promise still rejects for a caller that
 * waits on it, and a failure nobody waits on is not an unhandled rejection.
 */
function background(read: Promise<void>, settled: () => void, failed: () => void): Promise<void> {
  const tracked = read.finally(settled);
  tracked.catch(failed);
  return tracked;
}

function startOfUtcDay(nowMs: number): number {
  return nowMs - (nowMs % DAY_MS);
}
