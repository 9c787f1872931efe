import {
  createSyntheticScene,
  encodePgm,
  sceneImageFile,
  sceneMetadata,
  type SyntheticScene,
} from '@voxelfleet/voxel';
import { io, type Socket } from 'socket.io-client';
import request from 'supertest';

/**
 * Real use of a running stack, through its public REST and socket APIs only: a tracker replay
 * at real speed with evidence on the fleet, job submissions from several clients at once,
 * admin writes and audit reads, all at the same time for `seconds`. Every answer is counted
 * by status, so a 5xx anywhere is seen, and every job's result is checked against its inputs,
 * so a row answered for another query would be seen too.
 */

export interface StackUrls {
  gateway: string;
  tracker: string;
}

export interface LoadOptions {
  seconds: number;
  jobs: number;
  jobClients: number;
  seed: number;
}

export interface LoadReport {
  responses: number;
  byStatus: Record<string, number>;
  serverErrors: string[];
  jobsSubmitted: number;
  jobsSucceededOnce: number;
  jobProblems: string[];
  framesTotal: number;
  framesProcessed: number;
  framesLost: number;
  trackUpdates: number;
  adminWrites: number;
  auditReads: number;
  auditBroken: string[];
  elapsedS: number;
}

/** One API key's calls to one service; every answer is counted. */
interface ApiCaller {
  get(path: string): Promise<request.Response>;
  post(path: string, body?: object): Promise<request.Response>;
  put(path: string, body: object): Promise<request.Response>;
}

interface LiveState {
  framesProcessed: number;
  framesLost: number;
  inFlight: number;
}

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled', 'expired', 'skipped']);

export async function runStackLoad(
  urls: StackUrls,
  adminKey: string,
  options: LoadOptions,
): Promise<LoadReport> {
  // Frames are encoded before the clock starts: encoding is the client's work, not the stack's.
  const scene = loadScene(options);
  const images = scene.cameras.map((_, k) =>
    Array.from({ length: scene.totalFrames }, (_, f) => Buffer.from(encodePgm(scene.renderFrame(f, k)))),
  );
  const started = Date.now();
  const report: LoadReport = {
    responses: 0,
    byStatus: {},
    serverErrors: [],
    jobsSubmitted: 0,
    jobsSucceededOnce: 0,
    jobProblems: [],
    framesTotal: 0,
    framesProcessed: 0,
    framesLost: 0,
    trackUpdates: 0,
    adminWrites: 0,
    auditReads: 0,
    auditBroken: [],
    elapsedS: 0,
  };
  const count = (what: string, res: request.Response): request.Response => {
    report.responses += 1;
    report.byStatus[res.status] = (report.byStatus[res.status] ?? 0) + 1;
    if (res.status >= 500) report.serverErrors.push(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
    return res;
  };
  const call = (base: string, key: string): ApiCaller => ({
    get: async (path: string) =>
      count(`GET ${path}`, await request(base).get(path).set('authorization', `Bearer ${key}`)),
    post: async (path: string, body?: object) =>
      count(`POST ${path}`, await request(base).post(path).set('authorization', `Bearer ${key}`).send(body)),
    put: async (path: string, body: object) =>
      count(`PUT ${path}`, await request(base).put(path).set('authorization', `Bearer ${key}`).send(body)),
  });
  const admin = call(urls.gateway, adminKey);

  const tenant = expectStatus(
    await admin.post('/admin/tenants', { name: `load-${options.seed}`, edition: 'enterprise' }),
    201,
  ).body as { id: string };
  const principal = expectStatus(
    await admin.post('/admin/principals', {
      tenantId: tenant.id,
      kind: 'service',
      name: 'load-client',
      roles: ['tenant-admin'],
    }),
    201,
  ).body as { id: string };
  const key = (
    expectStatus(await admin.post(`/admin/principals/${principal.id}/keys`, { label: 'load' }), 201).body as {
      key: string;
    }
  ).key;
  expectStatus(
    await admin.post('/admin/grants', {
      principalId: principal.id,
      kernels: ['**'],
      deviceClasses: ['*'],
      cpuFallback: true,
    }),
    201,
  );

  report.framesTotal = scene.totalFrames;
  const tracking = trackScene(urls.tracker, key, scene, images, count, report);
  const deadline = started + options.seconds * 1000;
  const jobs = submitJobs(call(urls.gateway, key), options, report);
  const writes = adminWrites(admin, tenant.id, deadline, report);
  const reads = auditReads(admin, tenant.id, deadline, report);
  await Promise.all([tracking, jobs, writes, reads]);

  for (const chain of [undefined, tenant.id]) {
    const path = chain ? `/admin/audit/verify?chain=${chain}` : '/admin/audit/verify';
    const verified = await admin.get(path);
    const body = verified.body as { ok?: boolean };
    if (verified.status !== 200 || body.ok !== true)
      report.auditBroken.push(`${path}: ${verified.status} ${JSON.stringify(verified.body)}`);
  }
  report.elapsedS = (Date.now() - started) / 1000;
  return report;
}

function expectStatus(res: request.Response, status: number): request.Response {
  if (res.status !== status)
    throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res;
}

/** Six cameras on a ring, as the original projector's recordings have, long enough to last the run. */
function loadScene(options: LoadOptions): SyntheticScene {
  const fps = 10;
  return createSyntheticScene({
    seed: options.seed,
    targets: 2,
    frames: Math.ceil(options.seconds * fps),
    fps,
    noiseSigma: 2,
    gridDims: [32, 32, 24],
    voxelSize: 0.4,
    rig: {
      count: 6,
      layout: { kind: 'ring', radius: 10, heights: [2, 5, 3.5] },
      resolutions: [[128, 96]],
      fovDegrees: 60,
      aimJitter: 0.3,
    },
  });
}

async function trackScene(
  trackerUrl: string,
  key: string,
  scene: SyntheticScene,
  images: Buffer[][],
  count: (what: string, res: request.Response) => request.Response,
  report: LoadReport,
): Promise<void> {
  const auth = `Bearer ${key}`;
  const rig = expectStatus(
    count(
      'POST /v1/rigs/import',
      await request(trackerUrl)
        .post('/v1/rigs/import')
        .set('authorization', auth)
        .send({
          name: 'load-rig',
          metadata: sceneMetadata(scene, 'pgm'),
          resolution: { width: 128, height: 96 },
        }),
    ),
    201,
  ).body as { id: string };
  const stream = expectStatus(
    count(
      'POST /v1/streams',
      await request(trackerUrl)
        .post('/v1/streams')
        .set('authorization', auth)
        .send({
          name: 'load-stream',
          rigId: rig.id,
          grid: { origin: scene.grid.origin, dims: scene.grid.dims, voxelSize: scene.grid.voxelSize },
          parameters: { fps: scene.options.fps },
        }),
    ),
    201,
  ).body as { id: string };
  count(
    'POST /v1/streams/:id/start',
    await request(trackerUrl).post(`/v1/streams/${stream.id}/start`).set('authorization', auth),
  );

  const socket: Socket = io(`${trackerUrl}/tracks`, {
    transports: ['websocket'],
    auth: { token: key },
    reconnection: false,
  });
  socket.on('track.update', () => (report.trackUpdates += 1));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const ack = (await socket.timeout(10_000).emitWithAck('subscribe', { streamId: stream.id })) as {
    ok: boolean;
  };
  if (!ack.ok) throw new Error(`subscribe refused: ${JSON.stringify(ack)}`);

  let upload = request(trackerUrl)
    .post(`/v1/streams/${stream.id}/replay`)
    .set('authorization', auth)
    .field('speed', 'real')
    .attach('metadata', Buffer.from(JSON.stringify(sceneMetadata(scene, 'pgm'))), 'metadata.json');
  images.forEach((frames, k) =>
    frames.forEach((pgm, f) => {
      upload = upload.attach(sceneImageFile(k, f, 'pgm'), pgm, `frame_${f}_${k}.pgm`);
    }),
  );
  const replay = expectStatus(count('POST /v1/streams/:id/replay', await upload), 202).body as {
    replayId: string;
  };

  // Progress is read back through the same public route a user polls, throughout the replay.
  for (;;) {
    await sleep(500);
    const res = count(
      'GET /v1/streams/:id',
      await request(trackerUrl).get(`/v1/streams/${stream.id}`).set('authorization', auth),
    );
    if (res.status !== 200) continue;
    const body = res.body as { replay: { replayId: string; state: string } | null; live: LiveState };
    report.framesProcessed = body.live.framesProcessed;
    report.framesLost = body.live.framesLost;
    if (
      body.replay?.replayId === replay.replayId &&
      body.replay.state !== 'running' &&
      body.live.inFlight === 0
    )
      break;
  }
  // The last updates may still be on the wire.
  await sleep(500);
  socket.close();
}

async function submitJobs(client: ApiCaller, options: LoadOptions, report: LoadReport): Promise<void> {
  const submitted: { id: string; a: number }[] = [];
  let next = 0;
  // Spread over the run, so submissions overlap the replay from start to end.
  const pauseMs = Math.max(0, (options.seconds * 1000 * 0.8 * options.jobClients) / options.jobs);
  const clientLoop = async () => {
    while (next < options.jobs) {
      const a = next++;
      // No priority: the default class applies.
      const res = await client.post('/v1/jobs', {
        kernel: 'saxpy',
        inputs: { a, x: [1, 2, 3], y: [a, 0, -a] },
        cpuFallbackAllowed: true,
      });
      if (res.status === 201 || res.status === 202)
        submitted.push({ id: (res.body as { id: string }).id, a });
      else report.jobProblems.push(`submit ${a}: ${res.status} ${JSON.stringify(res.body)}`);
      await sleep(pauseMs);
    }
  };
  await Promise.all(Array.from({ length: options.jobClients }, clientLoop));
  report.jobsSubmitted = submitted.length;

  const pending = new Map(submitted.map((job) => [job.id, job.a]));
  const deadline = Date.now() + 120_000;
  while (pending.size > 0 && Date.now() < deadline) {
    for (const [id, a] of [...pending]) {
      const res = await client.get(`/v1/jobs/${id}`);
      // Polling is a client like any other: it waits when the gateway says it asks too often.
      if (res.status === 429) await sleep(1_000 * Number(res.headers['retry-after'] ?? 1));
      if (res.status !== 200) continue;
      const job = res.body as {
        state: string;
        attempt: number;
        priority: string;
        output: unknown;
        error: unknown;
      };
      if (!TERMINAL.has(job.state)) continue;
      pending.delete(id);
      const expected = [a * 1 + a, a * 2, a * 3 - a];
      const problem =
        job.state !== 'succeeded'
          ? `state ${job.state} (${JSON.stringify(job.error)})`
          : job.attempt !== 1
            ? `ran ${job.attempt} times`
            : job.priority !== 'normal'
              ? `priority ${job.priority}`
              : outputMismatch(job.output, expected);
      if (problem) report.jobProblems.push(`job ${id} (a=${a}): ${problem}`);
      else report.jobsSucceededOnce += 1;
    }
    if (pending.size > 0) await sleep(250);
  }
  for (const id of pending.keys()) report.jobProblems.push(`job ${id}: not finished in time`);
}

function outputMismatch(output: unknown, expected: number[]): string | undefined {
  const y = (output as { y?: unknown } | null)?.y;
  const values = Array.isArray(y) ? (y as number[]) : decodeF32(y);
  if (!values) return `output ${JSON.stringify(output)}`;
  const same =
    values.length === expected.length && values.every((v, i) => Math.abs(v - (expected[i] ?? NaN)) < 1e-3);
  return same ? undefined : `output ${JSON.stringify(values)}, expected ${JSON.stringify(expected)}`;
}

function decodeF32(value: unknown): number[] | undefined {
  const base64 = (value as { base64?: unknown } | null)?.base64;
  if (typeof base64 !== 'string') return undefined;
  const bytes = Buffer.from(base64, 'base64');
  return Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4));
}

async function adminWrites(
  admin: ApiCaller,
  tenantId: string,
  deadline: number,
  report: LoadReport,
): Promise<void> {
  let n = 0;
  while (Date.now() < deadline) {
    n += 1;
    const created = await admin.post('/admin/tenants', { name: `load-extra-${n}`, edition: 'pro' });
    if (created.status === 201) report.adminWrites += 1;
    const quota = await admin.put(`/admin/tenants/${tenantId}/quota`, { jobsPerMinute: 1_000 + (n % 100) });
    if (quota.status === 200) report.adminWrites += 1;
    await sleep(200);
  }
}

async function auditReads(
  admin: ApiCaller,
  tenantId: string,
  deadline: number,
  report: LoadReport,
): Promise<void> {
  while (Date.now() < deadline) {
    const page = await admin.get(`/admin/audit?tenantId=${tenantId}&limit=50`);
    if (page.status === 200) report.auditReads += 1;
    const verify = await admin.get(`/admin/audit/verify?chain=${tenantId}`);
    if (verify.status === 200) report.auditReads += 1;
    await sleep(300);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
