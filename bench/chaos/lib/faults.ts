import type { ChaosStack, StackApp } from './chaos-stack.js';
import { sleep, waitUntil } from './managed-process.js';
import { call } from './http-client.js';
import type { JobLoad } from './job-load.js';
import { metricSum, parsePrometheusText } from './prometheus-text.js';
import { FAULT_RUNBOOKS, RunbookWatcher, type RunbookStep } from './runbook-steps.js';
import { longestSilence, type StreamSubscriber } from './stream-feed.js';
import type { Runbook } from '@voxelfleet/observability';

export interface FaultContext {
  stack: ChaosStack;
  jobs: JobLoad;
  subscriber: StreamSubscriber;
  /** docs/runbooks.md, parsed: each fault follows its runbook's Detection list. */
  runbooks: readonly Runbook[];
  repoRoot: string;
}

/** One thing an operator would look at to notice the fault, and whether it showed. */
export interface DetectionCheck {
  check: string;
  ok: boolean;
  detail: string;
}

export interface FaultOutcome {
  name: string;
  description: string;
  recovered: boolean;
  recoveryS: number;
  auditVerifies: boolean;
  /** Longest time the stream subscriber saw no update, from the fault until recovery + 2 s. */
  streamGapS: number;
  /** Whether the tracker itself reported a gap (`stream.status` with `gap`) in that window. */
  trackerReportedGap: boolean;
  /** How long the fault itself lasted (a server down, a process paused), when it ends on its own. */
  outageS?: number;
  /** Job submissions refused or unanswered between the injection and the recovery. */
  refusedSubmissions: number;
  detection: DetectionCheck[];
  /** The runbook's Detection steps, followed during the fault (empty when no runbook covers it). */
  runbookSteps: RunbookStep[];
  notes: string[];
}

interface Injected {
  /** Jobs placed or running on the victim when it was hit: each must still finish. */
  heldJobs: string[];
  victim?: StackApp;
  /** When the fault was taken away (a server started again, a process resumed). */
  restoredAt?: number;
}

export interface Fault {
  name: string;
  description: string;
  inject(ctx: FaultContext): Promise<Injected>;
  /** What an operator sees, checked while the fault is on. */
  detect(ctx: FaultContext, injected: Injected): Promise<DetectionCheck[]>;
  /** Extra condition for "recovered" besides a fresh job finishing (e.g. the node is back). */
  recovered?(ctx: FaultContext, injected: Injected): Promise<boolean>;
  /** Puts the stack back together (restarts what was killed) once recovery was measured. */
  heal?(ctx: FaultContext, injected: Injected): Promise<void>;
}

async function metrics(url: string): Promise<ReturnType<typeof parsePrometheusText>> {
  const res = await call('GET', `${url}/metrics`, { timeoutMs: 3_000 });
  return res.status === 200 ? parsePrometheusText(res.text) : [];
}

/** Polls `probe` until it holds (or `timeoutMs` passes) and names the check. */
async function expectEventually(
  check: string,
  probe: () => Promise<string | undefined>,
  timeoutMs: number,
): Promise<DetectionCheck> {
  try {
    const detail = await waitUntil(check, probe, timeoutMs, 200);
    return { check, ok: true, detail };
  } catch (error) {
    return { check, ok: false, detail: (error as Error).message };
  }
}

async function jobsOn(stack: ChaosStack, nodeId: string): Promise<string[]> {
  const { rows } = await stack.db.query<{ id: string }>(
    `SELECT id FROM jobs WHERE node_id = $1 AND state IN ('placed', 'running')`,
    [nodeId],
  );
  return rows.map((row) => row.id);
}

async function allFinal(stack: ChaosStack, ids: readonly string[]): Promise<boolean> {
  if (ids.length === 0) return true;
  const { rows } = await stack.db.query<{ n: string }>(
    `SELECT count(*) AS n FROM jobs WHERE id = ANY($1::uuid[]) AND state IN ('succeeded', 'failed', 'cancelled', 'expired', 'skipped')`,
    [ids],
  );
  return Number(rows[0]?.n) === ids.length;
}

const nodeIdOf = (app: StackApp) => String(app.process.spec.env?.NODE_ID);

/**
 * The node holding the most placed or running jobs (the one whose loss hurts most), waiting
 * up to 15 s for a moment when some node holds one, so the fault lands on work in flight.
 */
async function busiestNode(stack: ChaosStack): Promise<StackApp> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const { rows } = await stack.db.query<{ node_id: string; n: string }>(
      `SELECT node_id, count(*) AS n FROM jobs WHERE state IN ('placed', 'running') AND node_id IS NOT NULL
       GROUP BY node_id ORDER BY count(*) DESC LIMIT 1`,
    );
    const found = stack.nodes.find((node) => nodeIdOf(node) === rows[0]?.node_id && node.process.running);
    if (found) return found;
    if (Date.now() > deadline) return stack.nodes[0] as StackApp;
    await sleep(25);
  }
}

function nodeStateCheck(stack: ChaosStack, nodeId: string, state: string, timeoutMs: number) {
  return expectEventually(
    `GET /admin/gpu/nodes/${nodeId} shows state "${state}"`,
    async () => {
      const res = await call('GET', `${stack.gateway.url}/admin/gpu/nodes/${nodeId}`, {
        key: stack.admin.key,
      });
      const got = (res.body as { state?: string } | undefined)?.state;
      return got === state ? `state ${got}` : undefined;
    },
    timeoutMs,
  );
}

function fleetLostMetricCheck(stack: ChaosStack, timeoutMs: number) {
  return expectEventually(
    'voxelfleet_fleet_nodes{state="lost"} >= 1 on the leading scheduler',
    async () => {
      const leader = await stack.leader();
      if (!leader) return undefined;
      const lost = metricSum(await metrics(leader.url), 'voxelfleet_fleet_nodes', { state: 'lost' });
      return lost >= 1 ? `${lost} lost on ${leader.name}` : undefined;
    },
    timeoutMs,
  );
}

function logLineCheck(app: StackApp, pattern: RegExp, fromLine: number, timeoutMs: number) {
  return expectEventually(
    `${app.name} logs ${pattern.source}`,
    () =>
      Promise.resolve(
        app.process.lines
          .slice(fromLine)
          .find((line) => pattern.test(line))
          ?.slice(0, 160),
      ),
    timeoutMs,
  );
}

function readinessDownCheck(app: StackApp, timeoutMs: number) {
  return expectEventually(
    `${app.name} GET /health/ready answers 503 (or nothing) while the dependency is down`,
    async () => {
      const res = await call('GET', `${app.url}/health/ready`, { timeoutMs: 3_000 });
      return res.status === 200 ? undefined : `status ${res.status} ${res.text.slice(0, 120)}`;
    },
    timeoutMs,
  );
}

export function buildFaults(lostAfterMs: number): Fault[] {
  const nodeKill: Fault = {
    name: 'gpu-node-sigkill',
    description: 'SIGKILL the gpu-node holding the most jobs; restarted after recovery',
    async inject({ stack }) {
      const victim = await busiestNode(stack);
      const heldJobs = await jobsOn(stack, nodeIdOf(victim));
      victim.process.signal('SIGKILL');
      return { victim, heldJobs };
    },
    async detect({ stack }, { victim }) {
      const nodeId = nodeIdOf(victim as StackApp);
      const marks = new Map(stack.schedulers.map((s) => [s, s.process.linesSeen]));
      return Promise.all([
        nodeStateCheck(stack, nodeId, 'lost', lostAfterMs + 10_000),
        fleetLostMetricCheck(stack, lostAfterMs + 10_000),
        expectEventually(
          `a scheduler logs "node state changed" to lost for ${nodeId}`,
          () =>
            Promise.resolve(
              stack.schedulers
                .flatMap((s) => s.process.linesSince(marks.get(s) ?? 0))
                .find((line) => line.includes(nodeId) && line.includes('"to":"lost"'))
                ?.slice(0, 160),
            ),
          lostAfterMs + 10_000,
        ),
      ]);
    },
    async heal({ stack }, { victim }) {
      await stack.startApp(victim as StackApp);
      await nodeStateCheck(stack, nodeIdOf(victim as StackApp), 'ready', 30_000);
    },
  };

  let standbyMark = 0;
  const leaderKill: Fault = {
    name: 'leader-scheduler-sigkill',
    description: 'SIGKILL the scheduler holding the leader lock; restarted after recovery',
    async inject({ stack }) {
      const victim = await stack.leader();
      if (!victim) throw new Error('no scheduler leads');
      standbyMark = (stack.schedulers.find((s) => s !== victim) as StackApp).process.linesSeen;
      victim.process.signal('SIGKILL');
      return { victim, heldJobs: [] };
    },
    async detect({ stack }, { victim }) {
      const standby = stack.schedulers.find((s) => s !== victim) as StackApp;
      return Promise.all([
        expectEventually(
          `${standby.name} GET /v1/scheduler/status says leader`,
          async () => ((await stack.leader()) === standby ? 'leader: true' : undefined),
          15_000,
        ),
        expectEventually(
          `voxelfleet_scheduler_leader = 1 on ${standby.name}`,
          async () =>
            metricSum(await metrics(standby.url), 'voxelfleet_scheduler_leader') === 1
              ? 'gauge 1'
              : undefined,
          15_000,
        ),
        logLineCheck(standby, /scheduler leadership acquired/, standbyMark, 15_000),
      ]);
    },
    async recovered({ stack }, { victim }) {
      const leader = await stack.leader();
      return leader !== undefined && leader !== victim;
    },
    async heal({ stack }, { victim }) {
      await stack.startApp(victim as StackApp);
    },
  };

  let disconnectsBefore = 0;
  const trackerKill: Fault = {
    name: 'tracker-sigkill',
    description: 'SIGKILL the tracker; a supervisor restarts it 1 s later',
    async inject({ stack, subscriber }) {
      disconnectsBefore = subscriber.disconnects;
      stack.tracker.process.signal('SIGKILL');
      await sleep(1_000);
      stack.tracker.process.start();
      return { heldJobs: [], victim: stack.tracker };
    },
    async detect({ stack, subscriber }) {
      return Promise.all([
        expectEventually(
          'the socket.io subscriber is disconnected',
          () =>
            Promise.resolve(
              subscriber.disconnects > disconnectsBefore
                ? `${subscriber.disconnects} disconnects`
                : undefined,
            ),
          10_000,
        ),
        expectEventually(
          'tracker GET /health/ready is 200 again after the restart',
          async () =>
            (await call('GET', `${stack.tracker.url}/health/ready`)).status === 200 ? 'ready' : undefined,
          60_000,
        ),
      ]);
    },
    recovered({ stack, subscriber }) {
      // Updates flow to the subscriber again: one arrived in the last two seconds.
      const last = subscriber.updates.at(-1)?.atMs ?? 0;
      return Promise.resolve(stack.tracker.process.running && Date.now() - last < 2_000);
    },
  };

  const redisRestart: Fault = {
    name: 'redis-restart',
    description: 'stop Redis (SIGTERM, append-only file kept), 2 s down, start it again',
    async inject({ stack }) {
      await stack.redis.process.stop('SIGTERM');
      return { heldJobs: [] };
    },
    async detect({ stack }, injected) {
      const stopped = Date.now();
      const checks = await Promise.all([
        readinessDownCheck(stack.gateway, 2_000),
        readinessDownCheck(stack.nodes[0] as StackApp, 2_000),
      ]);
      await sleep(Math.max(0, stopped + 2_000 - Date.now()));
      await stack.redis.start();
      injected.restoredAt = Date.now();
      return checks;
    },
  };

  const postgresRestart: Fault = {
    name: 'postgres-restart',
    description: 'fast shutdown of Postgres, 2 s down, start it again',
    async inject({ stack }) {
      await stack.postgres.process.stop('SIGINT');
      return { heldJobs: [] };
    },
    async detect({ stack }, injected) {
      const stopped = Date.now();
      const checks = await Promise.all([
        readinessDownCheck(stack.gateway, 2_000),
        readinessDownCheck(stack.tracker, 2_000),
      ]);
      await sleep(Math.max(0, stopped + 2_000 - Date.now()));
      await stack.postgres.start();
      injected.restoredAt = Date.now();
      return checks;
    },
  };

  const nodePause: Fault = {
    name: 'gpu-node-sigstop',
    description: `SIGSTOP a gpu-node for NODE_LOST_AFTER_MS + 2 s (${(lostAfterMs + 2_000) / 1000} s), then SIGCONT`,
    async inject({ stack }) {
      const victim = await busiestNode(stack);
      const heldJobs = await jobsOn(stack, nodeIdOf(victim));
      victim.process.signal('SIGSTOP');
      return { victim, heldJobs };
    },
    async detect({ stack }, injected) {
      const victim = injected.victim as StackApp;
      const nodeId = nodeIdOf(victim);
      const stopped = Date.now();
      const checks = await Promise.all([
        nodeStateCheck(stack, nodeId, 'lost', lostAfterMs + 10_000),
        fleetLostMetricCheck(stack, lostAfterMs + 10_000),
      ]);
      await sleep(Math.max(0, stopped + lostAfterMs + 2_000 - Date.now()));
      victim.process.signal('SIGCONT');
      injected.restoredAt = Date.now();
      checks.push(await nodeStateCheck(stack, nodeId, 'ready', 20_000));
      return checks;
    },
    async recovered({ stack }, { victim, restoredAt }) {
      if (restoredAt === undefined) return false;
      const res = await call('GET', `${stack.gateway.url}/admin/gpu/nodes/${nodeIdOf(victim as StackApp)}`, {
        key: stack.admin.key,
      });
      return (res.body as { state?: string } | undefined)?.state === 'ready';
    },
  };

  return [nodeKill, leaderKill, trackerKill, redisRestart, postgresRestart, nodePause];
}

async function jobSucceeded(stack: ChaosStack, id: string): Promise<boolean> {
  const { rows } = await stack.db.query<{ state: string }>(`SELECT state FROM jobs WHERE id = $1`, [id]);
  return rows[0]?.state === 'succeeded';
}

/**
 * A job submitted after the fault that finished: submits (retrying refusals) until one is
 * accepted, then waits for it; resolves with the time it was seen succeeded.
 */
async function freshJobFinishes(ctx: FaultContext, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const id = await ctx.jobs.submitOne('high');
    if (id === undefined) {
      await sleep(250);
      continue;
    }
    while (Date.now() < deadline) {
      try {
        if (await jobSucceeded(ctx.stack, id)) return Date.now();
      } catch {
        // the database is coming back
      }
      await sleep(100);
    }
  }
  throw new Error('no fresh job finished');
}

export async function auditVerifies(stack: ChaosStack): Promise<boolean> {
  const res = await call('GET', `${stack.gateway.url}/admin/audit/verify`, {
    key: stack.admin.key,
    timeoutMs: 60_000,
  });
  return res.status === 200 && (res.body as { ok?: boolean }).ok === true;
}

/**
 * Injects one fault under the running load and measures it: detection checks, time until a
 * job submitted after the fault finished and every job held by the victim finished (and the
 * fault's own condition held), the stream's silence, the audit chain afterwards.
 */
export async function runFault(ctx: FaultContext, fault: Fault, timeoutMs = 120_000): Promise<FaultOutcome> {
  const notes: string[] = [];
  const runbook = ctx.runbooks.find((r) => r.id === FAULT_RUNBOOKS[fault.name]);
  const watcher = runbook ? new RunbookWatcher(ctx.stack, runbook, fault.name, ctx.repoRoot) : undefined;
  await watcher?.before();
  const injectedAt = Date.now();
  const injected = await fault.inject(ctx);
  if (watcher) {
    watcher.ids = { nodeId: injected.victim?.role === 'gpu-node' ? nodeIdOf(injected.victim) : undefined };
    watcher.start();
  }
  if (injected.heldJobs.length)
    notes.push(`${injected.heldJobs.length} jobs were placed or running on the victim`);
  const detecting = fault.detect(ctx, injected);
  let recoveredAt: number | undefined;
  try {
    await freshJobFinishes(ctx, timeoutMs);
    recoveredAt = await waitUntil(
      `${fault.name} recovered`,
      async () => {
        const held = await allFinal(ctx.stack, injected.heldJobs);
        const own = fault.recovered ? await fault.recovered(ctx, injected) : true;
        return held && own ? Date.now() : undefined;
      },
      Math.max(1_000, timeoutMs - (Date.now() - injectedAt)),
      100,
    );
  } catch (error) {
    notes.push(`not recovered: ${(error as Error).message}`);
  }
  const detection = await detecting;
  await sleep(2_000);
  const runbookSteps = watcher?.stop() ?? [];
  const windowEnd = (recoveredAt ?? Date.now()) + 2_000;
  const streamGapS = longestSilence(ctx.subscriber.updates, injectedAt, windowEnd);
  const trackerReportedGap = ctx.subscriber.statuses.some(
    (s) => s.atMs >= injectedAt && s.atMs <= windowEnd && s.gap !== undefined,
  );
  if (fault.heal) await fault.heal(ctx, injected);
  const until = recoveredAt ?? Date.now();
  return {
    outageS: injected.restoredAt === undefined ? undefined : (injected.restoredAt - injectedAt) / 1000,
    refusedSubmissions: ctx.jobs.errors.filter((e) => e.atMs >= injectedAt && e.atMs <= until).length,
    name: fault.name,
    description: fault.description,
    recovered: recoveredAt !== undefined,
    recoveryS: ((recoveredAt ?? Date.now()) - injectedAt) / 1000,
    auditVerifies: await auditVerifies(ctx.stack),
    streamGapS,
    trackerReportedGap,
    detection,
    runbookSteps,
    notes,
  };
}
