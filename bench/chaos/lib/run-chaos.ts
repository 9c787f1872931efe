import { describeMachine } from '../../lib/index.js';
import { AdminLoad } from './admin-load.js';
import type { ChaosReport, SoakResult } from './chaos-report.js';
import { ChaosStack, REPO_ROOT, type StackPorts } from './chaos-stack.js';
import { loadRunbooks } from './runbook-steps.js';
import { auditVerifies, buildFaults, runFault } from './faults.js';
import type { SurfaceResult } from './fuzz/fuzz-result.js';
import { fuzzFrameUploads, fuzzKernelManifests, fuzzMetadataImports } from './fuzz/payload-fuzz.js';
import { fuzzRest, operationsFromOpenApi, trackerOperations, type RestFuzzTarget } from './fuzz/rest-fuzz.js';
import { fuzzHostileBytes, fuzzHostileSocket, hostileRequests } from './fuzz/hostile-bytes.js';
import { fuzzSocket } from './fuzz/socket-fuzz.js';
import { call } from './http-client.js';
import { checkIsolation, scanForKeys, victimObjects } from './isolation.js';
import { judgeLedger } from './job-ledger.js';
import { JobLoad } from './job-load.js';
import { sleep } from './managed-process.js';
import { judgeRss, summarize, type RssSeries } from './stats.js';
import { createStream, FrameFeed, StreamSubscriber } from './stream-feed.js';

export type ChaosPart = 'faults' | 'fuzz' | 'isolation' | 'soak';

export interface ChaosOptions {
  parts: ChaosPart[];
  ports: StackPorts;
  workDir: string;
  /** Which faults (by name) to inject; all when absent. */
  faults?: string[];
  soakMinutes: number;
  /** Generated cases per REST operation; the other surfaces get `fuzzCasesPerSurface`. */
  fuzzCasesPerOperation: number;
  fuzzCasesPerSurface: number;
  /** Hostile-bytes requests per app (a seeded pick); every one of them when absent. */
  hostileCasesPerApp?: number;
  jobsPerSecond: number;
  adminCallsPerSecond: number;
  frameFps: number;
  nodeLostAfterMs: number;
  seed: number;
  rssLimits: { totalMb: number; secondHalfMb: number };
  log?: (line: string) => void;
}

/**
 * One chaos run: brings the stack up, runs the chosen parts in order (bad input and
 * isolation on a quiet stack, then faults under load, then the soak), drains, judges the
 * job ledger, scans for leaked keys and returns the report. The stack is always stopped.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const log = options.log ?? (() => undefined);
  const startedAt = new Date().toISOString();
  const report: ChaosReport = {
    startedAt,
    finishedAt: '',
    machine: describeMachine(),
    parts: options.parts,
    faults: [],
    fuzz: [],
    notes: [],
  };
  const stack = new ChaosStack({
    ports: options.ports,
    workDir: options.workDir,
    nodeLostAfterMs: options.nodeLostAfterMs,
    heartbeatMs: 500,
  });
  const stopOnSignal = () => void stack.stop().finally(() => process.exit(130));
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  const loads: { jobs?: JobLoad; admin?: AdminLoad; feed?: FrameFeed } = {};
  const subscribers: StreamSubscriber[] = [];
  let loadStartedAt = new Date();
  try {
    log('starting the stack');
    await stack.start();
    const [tenantA, tenantB, fuzzTenant] = stack.tenants as [
      (typeof stack.tenants)[0],
      (typeof stack.tenants)[0],
      (typeof stack.tenants)[0],
    ];
    const streamA = await createStream(stack.tracker.url, tenantA.key, 'chaos-live');
    for (let i = 0; i < 2; i += 1)
      subscribers.push(new StreamSubscriber(stack.tracker.url, tenantA.key, streamA.streamId));
    await Promise.all(subscribers.map((s) => s.connected()));
    loads.feed = new FrameFeed(stack.tracker.url, tenantA.key, streamA.streamId, options.frameFps);
    loads.feed.start();
    const subscriber = subscribers[0] as StreamSubscriber;

    if (options.parts.includes('fuzz')) {
      log('fuzzing');
      report.fuzz = await runFuzz(stack, fuzzTenant, options, log);
      // Nothing the fuzzer sent may have broken an audit chain (verified over every chain).
      report.auditChainsBroken = await brokenAuditChains(stack);
      log(`  audit chains broken after the fuzzing: ${report.auditChainsBroken}`);
    }
    if (options.parts.includes('isolation')) {
      log('isolation');
      const victim = await victimObjects(stack, tenantA, streamA.rigId, streamA.streamId);
      const cases = await checkIsolation(stack, victim, tenantB);
      report.isolation = { cases, keyLeaks: [], linesScanned: 0, metricsScanned: 0 };
    }

    const runsLoad = options.parts.includes('faults') || options.parts.includes('soak');
    if (runsLoad) {
      loads.jobs = new JobLoad(stack.gateway.url, [tenantA.key, tenantB.key], options.jobsPerSecond);
      loads.admin = new AdminLoad(
        { gatewayUrl: stack.gateway.url, adminKey: stack.admin.key, tenant: tenantA },
        options.adminCallsPerSecond,
      );
      loadStartedAt = new Date();
      loads.jobs.start();
      loads.admin.start();
      await sleep(3_000);
    }
    if (options.parts.includes('faults') && loads.jobs) {
      const runbooks = loadRunbooks(REPO_ROOT);
      if (runbooks.length === 0)
        report.notes.push('docs/runbooks.md not found: faults checked without runbook steps');
      const chosen = buildFaults(options.nodeLostAfterMs).filter(
        (f) => !options.faults || options.faults.includes(f.name),
      );
      for (const fault of chosen) {
        log(`fault ${fault.name}`);
        const outcome = await runFault(
          { stack, jobs: loads.jobs, subscriber, runbooks, repoRoot: REPO_ROOT },
          fault,
        );
        log(
          `  recovered=${outcome.recovered} in ${outcome.recoveryS.toFixed(1)} s, audit ${outcome.auditVerifies}, detection ${outcome.detection.filter((d) => d.ok).length}/${outcome.detection.length}`,
        );
        report.faults.push(outcome);
        // Let the stack settle before the next fault, so each is measured on a whole stack.
        await sleep(3_000);
      }
    }
    if (options.parts.includes('soak') && loads.jobs && loads.admin) {
      log(`soak for ${options.soakMinutes} min`);
      report.soak = await soak(stack, loads.jobs, loads.admin, loads.feed, subscriber, options);
    }
    if (loads.jobs) {
      log('draining');
      await loads.jobs.stop();
      await loads.admin?.stop();
      report.ledger = await drainAndJudge(stack, loads.jobs, loadStartedAt, 180_000);
      const { rows: stuck } = await stack.db.query<{ state: string; reason: string; n: string }>(
        `SELECT state, left(state_reason, 100) AS reason, count(*) AS n FROM jobs
         WHERE state NOT IN ('succeeded', 'failed', 'cancelled', 'expired', 'skipped') AND kernel->>'name' = ANY($1::text[])
         GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 8`,
        [LOAD_KERNELS],
      );
      for (const row of stuck)
        report.notes.push(`unfinished after the drain: ${row.n} ${row.state} (${row.reason})`);
      if (!(await auditVerifies(stack)))
        report.notes.push('the audit chain did not verify at the end of the run');
    }
    loads.feed.stop();
    if (report.isolation) {
      const scan = await scanForKeys(stack, stack.secrets());
      report.isolation = { ...report.isolation, ...scan };
    }
    if (loads.jobs) {
      report.notes.push(
        `job submissions refused during the run: ${loads.jobs.errors.length} (${summarizeErrors(loads.jobs.errors.map((e) => e.status))})`,
      );
    }
    report.notes.push(
      `frame-sets posted: ${loads.feed.processed} processed, ${loads.feed.failures.length} refused or unanswered; subscriber disconnects: ${subscriber.disconnects}`,
    );
  } finally {
    for (const s of subscribers) s.close();
    loads.feed?.stop();
    await loads.jobs?.stop();
    await loads.admin?.stop();
    await stack.stop();
    process.off('SIGINT', stopOnSignal);
    process.off('SIGTERM', stopOnSignal);
  }
  report.finishedAt = new Date().toISOString();
  return report;
}

function summarizeErrors(statuses: number[]): string {
  const counts = new Map<number, number>();
  for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts].map(([s, n]) => `${s === 0 ? 'no answer' : s}: ${n}`).join(', ') || 'none';
}

async function runFuzz(
  stack: ChaosStack,
  tenant: ChaosStack['tenants'][number],
  options: ChaosOptions,
  log: (line: string) => void,
): Promise<SurfaceResult[]> {
  const stream = await createStream(stack.tracker.url, tenant.key, 'chaos-fuzz');
  const job = await call('POST', `${stack.gateway.url}/v1/jobs`, {
    key: tenant.key,
    body: { kernel: 'saxpy', inputs: { a: 1, x: [1], y: [1] }, priority: 'normal', cpuFallbackAllowed: true },
  });
  const realIds = [
    tenant.tenantId,
    tenant.principalId,
    stream.rigId,
    stream.streamId,
    (job.body as { id?: string }).id ?? '',
  ].filter(Boolean);
  const target = (app: 'gateway' | 'tracker'): RestFuzzTarget => ({
    baseUrl: stack[app].url,
    adminKey: stack.admin.key,
    tenantKey: tenant.key,
    realIds,
    db: stack.db,
    alive: () => stack[app].process.running,
  });
  const doc = (await call('GET', `${stack.gateway.url}/docs-json`)).body as Parameters<
    typeof operationsFromOpenApi
  >[0];
  const { operations, resolve } = operationsFromOpenApi(doc);
  const results: SurfaceResult[] = [];
  const per = options.fuzzCasesPerSurface;
  let mark = Date.now();
  const done = (result: SurfaceResult) => {
    log(
      `  ${result.surface}: ${result.cases} cases, ${result.findings.length} findings, ${((Date.now() - mark) / 1000).toFixed(0)} s`,
    );
    results.push(result);
    mark = Date.now();
  };
  // Cases that pass validation are real admin calls: they may suspend the fuzz tenant, disable
  // its principal (its id is one of the real ids the cases use) or stop its stream. Each surface
  // starts from the fixture as it was.
  const restoreFixture = async () => {
    await call('POST', `${stack.gateway.url}/admin/tenants/${tenant.tenantId}/resume`, {
      key: stack.admin.key,
      body: {},
    });
    await call('POST', `${stack.gateway.url}/admin/principals/${tenant.principalId}/enable`, {
      key: stack.admin.key,
      body: {},
    });
    await call('POST', `${stack.tracker.url}/v1/streams/${stream.streamId}/start`, { key: tenant.key });
  };
  const trackerOps = trackerOperations();
  // The tracker has fewer routes than the gateway; its surface gets as many cases in all.
  const trackerPerOperation = Math.ceil(
    (options.fuzzCasesPerOperation * operations.length) / trackerOps.length,
  );
  log(`  gateway REST: ${operations.length} operations from /docs-json; tracker REST: ${trackerOps.length}`);
  done(
    await fuzzRest(
      'gateway-rest',
      target('gateway'),
      operations,
      resolve,
      options.fuzzCasesPerOperation,
      options.seed,
    ),
  );
  await restoreFixture();
  done(
    await fuzzRest(
      'tracker-rest',
      target('tracker'),
      trackerOps,
      () => undefined,
      trackerPerOperation,
      options.seed + 1000,
    ),
  );
  await restoreFixture();
  done(await fuzzFrameUploads(target('tracker'), stream.streamId, 3, per, options.seed + 2000));
  done(await fuzzMetadataImports(target('tracker'), per, options.seed + 3000));
  done(await fuzzKernelManifests(target('gateway'), tenant.tenantId, per, options.seed + 4000));
  const alive = () => stack.tracker.process.running;
  await restoreFixture();
  done(await fuzzSocket(stack.tracker.url, tenant.key, stream.streamId, alive, per, options.seed + 5000));
  // The hostile-bytes layer: bytes no schema would generate, on every route and socket event.
  const hostile = options.hostileCasesPerApp;
  done(
    await fuzzHostileBytes(
      'gateway-hostile-bytes',
      target('gateway'),
      hostileRequests(stack.gateway.url, operations, resolve, realIds),
      hostile,
      options.seed + 6000,
    ),
  );
  await restoreFixture();
  done(
    await fuzzHostileBytes(
      'tracker-hostile-bytes',
      target('tracker'),
      hostileRequests(stack.tracker.url, trackerOps, () => undefined, realIds),
      hostile,
      options.seed + 7000,
    ),
  );
  await restoreFixture();
  done(await fuzzHostileSocket(stack.tracker.url, tenant.key, stream.streamId, alive));
  return results;
}

/** Chains `GET /admin/audit/verify` reports broken (every chain, platform included). */
export async function brokenAuditChains(stack: ChaosStack): Promise<number> {
  const verified = await call('GET', `${stack.gateway.url}/admin/audit/verify`, {
    key: stack.admin.key,
    timeoutMs: 120_000,
  });
  const chains = (verified.body as { chains?: { result: { ok: boolean } }[] } | undefined)?.chains;
  if (verified.status !== 200 || chains === undefined) return -1;
  return chains.filter((chain) => !chain.result.ok).length;
}

async function soak(
  stack: ChaosStack,
  jobs: JobLoad,
  admin: AdminLoad,
  feed: FrameFeed | undefined,
  subscriber: StreamSubscriber,
  options: ChaosOptions,
): Promise<SoakResult> {
  const series = new Map<string, RssSeries>();
  const sample = () => {
    for (const [name, mb] of Object.entries(stack.rssMb())) {
      const s = series.get(name) ?? { name, samples: [] };
      s.samples.push({ atMs: Date.now(), mb });
      series.set(name, s);
    }
  };
  const marks = {
    accepted: jobs.accepted.size,
    jobLatencies: jobs.latenciesMs.length,
    jobErrors: jobs.errors.length,
    adminLatencies: new Map([...admin.latenciesMs].map(([k, v]) => [k, v.length])),
    adminErrors: admin.failures.length,
    frames: feed?.processed ?? 0,
    frameLatencies: feed?.latenciesMs.length ?? 0,
    frameErrors: feed?.failures.length ?? 0,
    updates: subscriber.updates.length,
  };
  const startedAt = Date.now();
  const { rows: before } = await stack.db.query<{ n: string }>(
    `SELECT count(*) AS n FROM jobs WHERE state = 'succeeded'`,
  );
  const durationMs = options.soakMinutes * 60_000;
  const every = Math.max(1_000, Math.min(15_000, durationMs / 40));
  sample();
  while (Date.now() - startedAt < durationMs) {
    await sleep(Math.min(every, durationMs - (Date.now() - startedAt)));
    sample();
  }
  const seconds = (Date.now() - startedAt) / 1000;
  const { rows: after } = await stack.db.query<{ n: string }>(
    `SELECT count(*) AS n FROM jobs WHERE state = 'succeeded'`,
  );
  const latencies: SoakResult['latencies'] = {
    'POST /v1/jobs': summarize(jobs.latenciesMs.slice(marks.jobLatencies)),
  };
  for (const [name, list] of admin.latenciesMs)
    latencies[name] = summarize(list.slice(marks.adminLatencies.get(name) ?? 0));
  if (feed) latencies['POST frames'] = summarize(feed.latenciesMs.slice(marks.frameLatencies));
  return {
    minutes: options.soakMinutes,
    jobsAcceptedPerS: (jobs.accepted.size - marks.accepted) / seconds,
    jobsSucceededPerS: (Number(after[0]?.n) - Number(before[0]?.n)) / seconds,
    framesPerS: ((feed?.processed ?? 0) - marks.frames) / seconds,
    updatesReceivedPerS: (subscriber.updates.length - marks.updates) / seconds,
    latencies,
    errors: {
      jobs: jobs.errors.length - marks.jobErrors,
      admin: admin.failures.length - marks.adminErrors,
      frames: (feed?.failures.length ?? 0) - marks.frameErrors,
    },
    rss: [...series.values()]
      .filter((s) => s.samples.length >= 2)
      .map((s) => judgeRss(s, options.rssLimits.totalMb, options.rssLimits.secondHalfMb)),
    limits: options.rssLimits,
  };
}

/** The kernels the job load submits; the tracker's voxel.evidence jobs are judged by the stream, not here. */
const LOAD_KERNELS = ['saxpy', 'matmul.f32'];

/** Waits until every accepted job is final (or the time is up), then judges the ledger. */
async function drainAndJudge(stack: ChaosStack, jobs: JobLoad, since: Date, timeoutMs: number) {
  const ids = [...jobs.accepted.keys()];
  const tenants = stack.tenants.slice(0, 2).map((t) => t.tenantId);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { rows } = await stack.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM jobs WHERE state NOT IN ('succeeded', 'failed', 'cancelled', 'expired', 'skipped')
       AND tenant_id = ANY($1::uuid[]) AND kernel->>'name' = ANY($2::text[])`,
      [tenants, LOAD_KERNELS],
    );
    if (Number(rows[0]?.n) === 0) break;
    await sleep(500);
  }
  const { rows } = await stack.db.query<{ id: string; state: string; reason: string }>(
    `SELECT id, state, coalesce(state_reason, '') AS reason FROM jobs WHERE tenant_id = ANY($1::uuid[]) AND submitted_at >= $2 AND kernel->>'name' = ANY($3::text[])`,
    [tenants, since, LOAD_KERNELS],
  );
  const { rows: transitions } = await stack.db.query<{ jobId: string; toState: string }>(
    `SELECT job_id AS "jobId", to_state AS "toState" FROM job_transitions WHERE job_id IN (SELECT id FROM jobs WHERE tenant_id = ANY($1::uuid[]) AND submitted_at >= $2 AND kernel->>'name' = ANY($3::text[]))`,
    [tenants, since, LOAD_KERNELS],
  );
  return judgeLedger(ids, rows, transitions);
}
