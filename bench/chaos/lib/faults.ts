import type { ChaosStack, StackApp } from './chaos-stack.js';
import { sleep, waitUntil } from './managed-process.js';
import { call } from './http-client.js';
import type { JobLoad } from './job-load.js';
import { metricSum, parsePrometheusText } from './prometheus-text.js';
import { longestSilence, type StreamSubscriber } from './stream-feed.js';

export interface FaultContext {
  stack: ChaosStack;
  jobs: JobLoad;
  subscriber: StreamSubscriber;
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
  detection: DetectionCheck[];
  notes: string[];
}

interface Injected {
  /** Jobs placed or running on the victim when it was hit: each must still finish. */
  heldJobs: string[];
  victim?: StackApp;
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
    `SELECT count(*) AS n FROM jobs WHERE id = ANY($1::uuid[]) AND state IN ('succeeded', 'failed', 'cancelled')`,
    [ids],
  );
  return Number(rows[0]?.n) === ids.length;
}

const nodeIdOf = (app: StackApp) => String(app.process.spec.env?.NODE_ID);

/** The node holding the most placed or running jobs (the one whose loss hurts most). */
async function busiestNode(stack: ChaosStack): Promise<StackApp> {
  let best = stack.nodes[0] as StackApp;
  let most = -1;
  for (const node of stack.nodes) {
    const held = (await jobsOn(stack, nodeIdOf(node))).length;
    if (held > most) {
      most = held;
      best = node;
    }
  }
  return best;
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
      const from = Math.min(...stack.schedulers.map((s) => s.process.lines.length));
      return Promise.all([
        nodeStateCheck(stack, nodeId, 'lost', lostAfterMs + 10_000),
        fleetLostMetricCheck(stack, lostAfterMs + 10_000),
        expectEventually(
          `a scheduler logs "node state changed" to lost for ${nodeId}`,
          () =>
            Promise.resolve(
              stack.schedulers
                .flatMap((s) => s.process.lines.slice(from))
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

  const leaderKill: Fault = {
    name: 'leader-scheduler-sigkill',
    description: 'SIGKILL the scheduler holding the leader lock; restarted after recovery',
    async inject({ stack }) {
      const victim = await stack.leader();
      if (!victim) throw new Error('no scheduler leads');
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
        logLineCheck(standby, /scheduler leadership acquired/, 0, 15_000),
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
    async detect({ stack }) {
      const checks = await Promise.all([
        readinessDownCheck(stack.gateway, 2_000),
        readinessDownCheck(stack.nodes[0] as StackApp, 2_000),
      ]);
      await sleep(2_000);
      await stack.redis.start();
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
    async detect({ stack }) {
      const checks = await Promise.all([
        readinessDownCheck(stack.gateway, 2_000),
        readinessDownCheck(stack.tracker, 2_000),
      ]);
      await sleep(2_000);
      await stack.postgres.start();
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
    async detect({ stack }, { victim }) {
      const nodeId = nodeIdOf(victim as StackApp);
      const checks = await Promise.all([
        nodeStateCheck(stack, nodeId, 'lost', lostAfterMs + 10_000),
        fleetLostMetricCheck(stack, lostAfterMs + 10_000),
      ]);
      await sleep(2_000);
      (victim as StackApp).process.signal('SIGCONT');
      checks.push(await nodeStateCheck(stack, nodeId, 'ready', 20_000));
      return checks;
    },
    async recovered({ stack }, { victim }) {
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
    const id = await ctx.jobs.submitOne();
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
  const injectedAt = Date.now();
  const injected = await fault.inject(ctx);
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
  const windowEnd = (recoveredAt ?? Date.now()) + 2_000;
  const streamGapS = longestSilence(ctx.subscriber.updates, injectedAt, windowEnd);
  const trackerReportedGap = ctx.subscriber.statuses.some(
    (s) => s.atMs >= injectedAt && s.atMs <= windowEnd && s.gap !== undefined,
  );
  if (fault.heal) await fault.heal(ctx, injected);
  return {
    name: fault.name,
    description: fault.description,
    recovered: recoveredAt !== undefined,
    recoveryS: ((recoveredAt ?? Date.now()) - injectedAt) / 1000,
    auditVerifies: await auditVerifies(ctx.stack),
    streamGapS,
    trackerReportedGap,
    detection,
    notes,
  };
}
