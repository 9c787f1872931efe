import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { NodeControl, NodeHeartbeat } from '@voxelfleet/contracts';
import { loadNodeControls } from '@voxelfleet/persistence';
import { DATA_SOURCE, METRICS_REGISTRY, TRANSPORT } from '@voxelfleet/platform';
import {
  breakerOnFailure,
  breakerOnSuccess,
  CLOSED_BREAKER,
  DEFAULT_BREAKER_CONFIG,
  adminStateOf,
  detectNodeTransitions,
  fleetPicture,
  nodeStateOf,
  type AdminNodeState,
  type BreakerConfig,
  type BreakerState,
  type NodeSnapshot,
  type NodeState,
  type NodeTransition,
  type PerformanceHistory,
  type RunningJob,
} from '@voxelfleet/scheduling';
import type { Transport, Unsubscribe } from '@voxelfleet/transport';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { SchedulerSettings } from '../scheduler.config.js';
import { SCHEDULER_SETTINGS } from '../tokens.js';
import type { FleetNodeView, NodeRecord } from './fleet-view.js';
import { NodeSnapshotCache } from './node-snapshot-cache.js';

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A node's full row (heartbeat document included) is rewritten at least this often. */
export const FULL_ROW_EVERY_MS = 10_000;

interface WrittenRow {
  state: NodeState;
  reportedState: NodeHeartbeat['state'];
  breaker: BreakerState | undefined;
  receivedAtMs: number;
  fullAtMs: number;
}

interface StoredNodeRow {
  id: string;
  hostname: string;
  state: NodeState;
  last_heartbeat_at: Date;
  heartbeat: NodeHeartbeat;
  breaker: BreakerState | null;
}

/**
 * The scheduler's live view of the fleet: node heartbeats, the operator's node controls, each
 * node's circuit breaker, and liveness (a node silent for NODE_LOST_AFTER_MS is lost). Every
 * scheduler instance keeps it current so a standby can take over with a warm view; only the
 * leader acts on transitions and writes the nodes table.
 */
@Injectable()
export class FleetRegistryService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly nodes = new Map<string, NodeRecord>();
  private readonly controls = new Map<string, AdminNodeState>();
  private readonly unsubscribes: Unsubscribe[] = [];
  private readonly received: Counter;
  /** What the nodes table holds for each node, as this instance last wrote it. */
  private readonly written = new Map<string, WrittenRow>();
  /** When the latest heartbeat of any node arrived (liveness measures silence up to it). */
  private freshestMs = Number.NEGATIVE_INFINITY;
  /** Known node ids in order; null when a node was added since. */
  private sortedIds: string[] | null = null;
  private readonly snapshots = new NodeSnapshotCache();
  readonly breakerConfig: BreakerConfig;

  constructor(
    @Inject(TRANSPORT) private readonly transport: Transport,
    @Inject(SCHEDULER_SETTINGS) private readonly settings: SchedulerSettings,
    @Inject(DATA_SOURCE) private readonly db: DataSource,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.breakerConfig = settings.breaker ?? DEFAULT_BREAKER_CONFIG;
    this.received = new Counter({
      name: 'voxelfleet_node_heartbeats_received_total',
      help: 'Node heartbeats received by the scheduler',
      registers: [registry],
    });
    const countByState = (): Record<NodeState, number> => {
      const counts: Record<NodeState, number> = { ready: 0, draining: 0, cordoned: 0, lost: 0 };
      for (const node of this.list()) counts[node.state] += 1;
      return counts;
    };
    new Gauge({
      name: 'voxelfleet_fleet_nodes',
      help: 'Known nodes by state',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        for (const [state, count] of Object.entries(countByState())) this.set({ state }, count);
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.loadStored();
    await this.refreshControls();
    this.unsubscribes.push(
      await this.transport.subscribe('node.heartbeat', (heartbeat) => this.record(heartbeat)),
      await this.transport.subscribe('node.heartbeats', (batch) => {
        const receivedAtMs = Date.now();
        for (const heartbeat of batch.heartbeats) this.record(heartbeat, receivedAtMs);
      }),
      await this.transport.subscribe('node.control', (control) => this.applyControl(control)),
    );
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.unsubscribes.map((unsubscribe) => unsubscribe()));
  }

  record(heartbeat: NodeHeartbeat, receivedAtMs = Date.now()): void {
    this.received.inc();
    if (receivedAtMs > this.freshestMs) this.freshestMs = receivedAtMs;
    const previous = this.nodes.get(heartbeat.nodeId);
    if (!previous) this.sortedIds = null;
    this.nodes.set(heartbeat.nodeId, {
      nodeId: heartbeat.nodeId,
      heartbeat,
      receivedAtMs,
      control: this.controls.get(heartbeat.nodeId) ?? 'ready',
      recordedState: previous?.recordedState ?? 'ready',
      ...(previous?.breaker ? { breaker: previous.breaker } : {}),
    });
  }

  applyControl(control: Pick<NodeControl, 'nodeId' | 'state'>): void {
    this.controls.set(control.nodeId, control.state);
    const record = this.nodes.get(control.nodeId);
    if (record) record.control = control.state;
  }

  /** Re-reads node_controls, so a control event missed while disconnected still lands. */
  async refreshControls(): Promise<void> {
    const controls = await loadNodeControls(this.db.manager);
    for (const control of controls) this.applyControl(control);
  }

  stateOf(record: NodeRecord, nowMs: number): NodeState {
    return nodeStateOf(record, nowMs, this.settings.nodeLostAfterMs, this.freshest());
  }

  /** Liveness changes since the last check, recorded so each is reported once. */
  checkLiveness(nowMs = Date.now()): NodeTransition[] {
    const views = [...this.nodes.values()].map((record) => ({
      nodeId: record.nodeId,
      adminState: adminStateOf(record.control, record.heartbeat.state),
      lastHeartbeatMs: record.receivedAtMs,
      recordedState: record.recordedState,
    }));
    const transitions = detectNodeTransitions(views, nowMs, this.settings.nodeLostAfterMs, this.freshest());
    for (const transition of transitions) {
      const record = this.nodes.get(transition.nodeId);
      if (record) record.recordedState = transition.to;
    }
    return transitions;
  }

  /** Nodes that are lost now (whatever was recorded before). */
  lostNodeIds(nowMs = Date.now()): string[] {
    return [...this.nodes.values()].filter((r) => this.stateOf(r, nowMs) === 'lost').map((r) => r.nodeId);
  }

  knows(nodeId: string): boolean {
    return this.nodes.has(nodeId);
  }

  /**
   * Every node as placement sees it, in id order. A node's entry is rebuilt only when its
   * heartbeat, state, breaker, history or the jobs holding room on it changed; otherwise the
   * previous (frozen) entry is handed out again, so a pass on a large fleet neither rebuilds
   * thousands of unchanged nodes nor re-hashes their text (see canonical-json.ts).
   */
  snapshotNodes(
    active: readonly RunningJob[],
    nowMs: number,
    historyOf: (nodeId: string) => PerformanceHistory | undefined = () => undefined,
  ): NodeSnapshot[] {
    if (!this.sortedIds) this.sortedIds = [...this.nodes.keys()].sort(compareIds);
    const reports: NodeRecord[] = [];
    for (const nodeId of this.sortedIds) {
      const record = this.nodes.get(nodeId);
      if (record) reports.push(record);
    }
    const freshestMs = this.freshest();
    return fleetPicture({
      reports,
      running: active,
      nowMs,
      lostAfterMs: this.settings.nodeLostAfterMs,
      ...(freshestMs === undefined ? {} : { freshestMs }),
      performanceOf: historyOf,
      memo: this.snapshots,
    });
  }

  /** Latest heartbeat receipt, once one has arrived since start (stored rows do not count). */
  private freshest(): number | undefined {
    return Number.isFinite(this.freshestMs) ? this.freshestMs : undefined;
  }

  /** Nodes known: ready or not. */
  get size(): number {
    return this.nodes.size;
  }

  /** The job ids a node says it runs, for reconciling placements that never started. */
  runningJobIds(nodeId: string): ReadonlySet<string> | null {
    const ids = this.nodes.get(nodeId)?.heartbeat.runningJobIds;
    return ids ? new Set(ids) : null;
  }

  setBreaker(nodeId: string, breaker: BreakerState): void {
    const record = this.nodes.get(nodeId);
    if (record) record.breaker = breaker;
  }

  onJobSucceeded(nodeId: string): void {
    const record = this.nodes.get(nodeId);
    if (record?.breaker) record.breaker = breakerOnSuccess(record.breaker);
  }

  /** A failure the node is to blame for (not the job's own bad input) counts toward its breaker. */
  onJobFailed(nodeId: string, nowMs: number): BreakerState | null {
    const record = this.nodes.get(nodeId);
    if (!record) return null;
    record.breaker = breakerOnFailure(record.breaker ?? CLOSED_BREAKER, nowMs, this.breakerConfig);
    return record.breaker;
  }

  list(nowMs = Date.now()): FleetNodeView[] {
    return [...this.nodes.values()]
      .map((record) => ({
        nodeId: record.nodeId,
        hostname: record.heartbeat.hostname,
        state: this.stateOf(record, nowMs),
        lastHeartbeatAt: new Date(record.receivedAtMs).toISOString(),
        cpu: record.heartbeat.cpu,
        devices: record.heartbeat.devices,
        runningJobs: record.heartbeat.runningJobs,
        ...(record.breaker ? { breaker: record.breaker } : {}),
      }))
      .sort((a, b) => a.nodeId.localeCompare(b.nodeId));
  }

  /**
   * Writes the nodes table (leader only): registration, last heartbeat, state, breaker. A node
   * whose row is up to date but for the time of its last heartbeat gets that time alone; its
   * full row (the heartbeat's devices and telemetry) is rewritten when it is new, its state,
   * reported state or breaker changed, or every FULL_ROW_EVERY_MS (a tenth of the fleet at most
   * per call). Rewriting every node's
   * heartbeat document each second was the largest part of the leader's idle work on a fleet
   * of thousands (pg escaping ten thousand JSON texts per second, and Postgres storing them).
   */
  async persist(nowMs = Date.now()): Promise<void> {
    const full: { record: NodeRecord; state: NodeState }[] = [];
    const touched: NodeRecord[] = [];
    // Periodic rewrites are spread out: rows registered together would otherwise all come due
    // in the same second.
    let refreshes = Math.max(100, Math.ceil(this.nodes.size / 10));
    for (const record of this.nodes.values()) {
      const state = this.stateOf(record, nowMs);
      const row = this.written.get(record.nodeId);
      const changed =
        !row ||
        row.state !== state ||
        row.reportedState !== record.heartbeat.state ||
        row.breaker !== record.breaker;
      const due = row !== undefined && nowMs - row.fullAtMs >= FULL_ROW_EVERY_MS && refreshes > 0;
      if (changed || due) {
        if (!changed) refreshes -= 1;
        full.push({ record, state });
      } else if (row.receivedAtMs !== record.receivedAtMs) {
        touched.push(record);
      }
    }
    if (full.length > 0) {
      await this.db.query(
        `INSERT INTO nodes (id, hostname, state, reported_state, last_heartbeat_at, heartbeat, breaker)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::jsonb[], $7::jsonb[])
         ON CONFLICT (id) DO UPDATE SET hostname = EXCLUDED.hostname, state = EXCLUDED.state,
           reported_state = EXCLUDED.reported_state, last_heartbeat_at = EXCLUDED.last_heartbeat_at,
           heartbeat = EXCLUDED.heartbeat, breaker = EXCLUDED.breaker, updated_at = now()`,
        [
          full.map(({ record }) => record.nodeId),
          full.map(({ record }) => record.heartbeat.hostname),
          full.map(({ state }) => state),
          full.map(({ record }) => record.heartbeat.state),
          full.map(({ record }) => new Date(record.receivedAtMs)),
          full.map(({ record }) => JSON.stringify(record.heartbeat)),
          full.map(({ record }) => (record.breaker ? JSON.stringify(record.breaker) : null)),
        ],
      );
      for (const { record, state } of full) {
        this.written.set(record.nodeId, {
          state,
          reportedState: record.heartbeat.state,
          breaker: record.breaker,
          receivedAtMs: record.receivedAtMs,
          fullAtMs: nowMs,
        });
      }
    }
    if (touched.length > 0) {
      await this.db.query(
        `UPDATE nodes SET last_heartbeat_at = u.at, updated_at = now()
           FROM unnest($1::text[], $2::timestamptz[]) AS u(id, at) WHERE nodes.id = u.id`,
        [touched.map((r) => r.nodeId), touched.map((r) => new Date(r.receivedAtMs))],
      );
      for (const record of touched) {
        const row = this.written.get(record.nodeId);
        if (row) row.receivedAtMs = record.receivedAtMs;
      }
    }
  }

  /** A scheduler that starts (or restarts) knows the nodes its predecessor recorded. */
  private async loadStored(): Promise<void> {
    const rows: StoredNodeRow[] = await this.db.query(
      `SELECT id, hostname, state, last_heartbeat_at, heartbeat, breaker FROM nodes`,
    );
    for (const row of rows) {
      if (this.nodes.has(row.id)) continue;
      this.sortedIds = null;
      this.nodes.set(row.id, {
        nodeId: row.id,
        heartbeat: row.heartbeat,
        receivedAtMs: row.last_heartbeat_at.getTime(),
        control: 'ready',
        recordedState: row.state,
        ...(row.breaker ? { breaker: row.breaker } : {}),
      });
    }
  }
}
