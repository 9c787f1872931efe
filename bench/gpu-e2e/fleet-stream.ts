import {
  SeededRandom,
  cameraFromOriginal,
  cameraToOriginal,
  createCameraRig,
  createSyntheticScene,
  encodePgm,
  projectionMatrix,
  sceneImageFile,
  sceneMetadata,
  type CameraModel,
  type SyntheticScene,
} from '@voxelfleet/voxel';
import { io, type Socket } from 'socket.io-client';
import { percentile, sleep, type ApiClient } from './api-client.js';

interface StreamView {
  id: string;
  replay: { replayId: string; state: string } | null;
  live: {
    framesProcessed: number;
    framesLost: number;
    lastGap: { reason: string } | null;
    inFlight: number;
    node: string | null;
    evidence: string;
  } | null;
}

interface JobListItem {
  kernel: { name: string };
  state: string;
  stateReason: string;
}

/** Where the stream's evidence ran, from the jobs list the tenant reads (newest 500). */
export interface EvidencePlacement {
  evidenceJobs: number;
  onGpu: number;
  onCpu: number;
  other: string[];
}

async function evidencePlacement(client: ApiClient): Promise<EvidencePlacement> {
  // GET /v1/jobs answers { jobs } (JobListSchema), newest first.
  const { jobs } = await client.expect<{ jobs: JobListItem[] }>(200, 'GET', '/v1/jobs?limit=500');
  const evidence = jobs.filter((job) => job.kernel.name === 'voxel.evidence');
  const onGpu = evidence.filter((job) => / GPU \d+/.test(job.stateReason)).length;
  const onCpu = evidence.filter((job) => / CPU/.test(job.stateReason)).length;
  const other = evidence
    .filter((job) => !/ GPU \d+| CPU/.test(job.stateReason))
    .slice(0, 5)
    .map((job) => `${job.state}: ${job.stateReason}`);
  return { evidenceJobs: evidence.length, onGpu, onCpu, other };
}

async function subscribe(
  trackerUrl: string,
  key: string,
  streamId: string,
  onUpdate: () => void,
): Promise<Socket> {
  const socket = io(`${trackerUrl}/tracks`, {
    transports: ['websocket'],
    auth: { token: key },
    reconnection: false,
  });
  socket.on('track.update', onUpdate);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const ack = (await socket.timeout(10_000).emitWithAck('subscribe', { streamId })) as { ok: boolean };
  if (!ack.ok) throw new Error(`subscribe refused: ${JSON.stringify(ack)}`);
  return socket;
}

async function createStream(
  tracker: ApiClient,
  name: string,
  metadata: unknown[],
  resolution: { width: number; height: number },
  grid: SyntheticScene['grid'],
  fps: number,
): Promise<string> {
  const rig = await tracker.expect<{ id: string }>(201, 'POST', '/v1/rigs/import', {
    name,
    metadata,
    resolution,
  });
  const stream = await tracker.expect<{ id: string }>(201, 'POST', '/v1/streams', {
    name,
    rigId: rig.id,
    grid: { origin: grid.origin, dims: grid.dims, voxelSize: grid.voxelSize },
    parameters: { fps },
  });
  await tracker.expect(200, 'POST', `/v1/streams/${stream.id}/start`);
  return stream.id;
}

export interface ReplayCheck {
  frameSets: number;
  processed: number;
  lost: number;
  lastGap: string | null;
  trackUpdates: number;
  evidenceBackend: string | null;
  node: string | null;
  placement: EvidencePlacement;
}

/**
 * A recording in the original projector's format (six cameras on a ring, PGM frames) replayed
 * through POST /v1/streams/:id/replay, evidence on the fleet: every frame-set's voxel.evidence
 * job should run on the GPU.
 */
export async function replayThroughFleet(
  tracker: ApiClient,
  gateway: ApiClient,
  trackerUrl: string,
  key: string,
  trackerBase: string,
): Promise<ReplayCheck> {
  const scene = createSyntheticScene({
    seed: 2026,
    targets: 3,
    frames: 60,
    fps: 10,
    noiseSigma: 2,
    gridDims: [32, 32, 24],
    voxelSize: 0.4,
    rig: {
      count: 6,
      layout: { kind: 'ring', radius: 10, heights: [2, 5, 3.5] },
      resolutions: [[320, 240]],
      fovDegrees: 60,
      aimJitter: 0.3,
    },
  });
  const metadata = sceneMetadata(scene, 'pgm');
  const streamId = await createStream(
    tracker,
    'gpu-e2e-replay',
    metadata,
    { width: 320, height: 240 },
    scene.grid,
    10,
  );
  let updates = 0;
  const socket = await subscribe(trackerUrl, key, streamId, () => (updates += 1));
  const form = new FormData();
  form.set('speed', 'max');
  form.set('metadata', new Blob([JSON.stringify(metadata)], { type: 'application/json' }), 'metadata.json');
  for (let f = 0; f < scene.totalFrames; f++) {
    scene.cameras.forEach((_, k) => {
      const file = sceneImageFile(k, f, 'pgm');
      form.append(file, new Blob([encodePgm(scene.renderFrame(f, k))]), file.split('/').pop());
    });
  }
  const res = await fetch(`${trackerBase}/v1/streams/${streamId}/replay`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}` },
    body: form,
  });
  if (res.status !== 202) throw new Error(`replay refused: ${res.status} ${await res.text()}`);
  const { replayId } = (await res.json()) as { replayId: string };
  let view: StreamView;
  const deadline = Date.now() + 300_000;
  for (;;) {
    await sleep(250);
    view = await tracker.expect<StreamView>(200, 'GET', `/v1/streams/${streamId}`);
    if (view.replay?.replayId === replayId && view.replay.state !== 'running' && view.live?.inFlight === 0)
      break;
    if (Date.now() > deadline) throw new Error('the replay did not finish in 300 s');
  }
  await sleep(300);
  socket.close();
  return {
    frameSets: scene.totalFrames,
    processed: view.live?.framesProcessed ?? 0,
    lost: view.live?.framesLost ?? 0,
    lastGap: view.live?.lastGap?.reason ?? null,
    trackUpdates: updates,
    evidenceBackend: view.live?.evidence ?? null,
    node: view.live?.node ?? null,
    placement: await evidencePlacement(gateway),
  };
}

export interface ThroughputOptions {
  cameras: number;
  width: number;
  height: number;
  targets: number;
  targetRadius: number;
  rate: number;
  seconds: number;
}

export interface ThroughputReport {
  options: ThroughputOptions;
  grid: { dims: number[]; voxelSize: number };
  motionPixelsPerFrameSet: number;
  sent: number;
  answered: number;
  processed: number;
  lost: number;
  rejected: string[];
  /** Frame-sets sent after their time because the previous answer came back late. */
  sentLate: number;
  lastGap: string | null;
  framesetsPerS: number;
  clientP50Ms: number;
  clientP99Ms: number;
  serverP50Ms: number;
  serverP99Ms: number;
  trackUpdates: number;
  tracksAtEnd: number;
  placement: EvidencePlacement;
}

/** Motion pixels of a camera: the discs the targets project to (the targets move, nothing else). */
function motionOf(
  camera: CameraModel,
  P: Float64Array,
  truth: { position: number[]; radius?: number }[],
  radius: number,
) {
  const indices: number[] = [];
  for (const t of truth) {
    const [x, y, z] = t.position as [number, number, number];
    const w = P[8]! * x + P[9]! * y + P[10]! * z + P[11]!;
    if (w <= 0) continue;
    const u = (P[0]! * x + P[1]! * y + P[2]! * z + P[3]!) / w;
    const v = (P[4]! * x + P[5]! * y + P[6]! * z + P[7]!) / w;
    const r = (camera.intrinsics.fx * (t.radius ?? radius)) / w;
    for (let py = Math.max(0, Math.floor(v - r)); py <= Math.min(camera.height - 1, v + r); py++) {
      for (let px = Math.max(0, Math.floor(u - r)); px <= Math.min(camera.width - 1, u + r); px++) {
        if ((px - u) ** 2 + (py - v) ** 2 <= r * r) indices.push(py * camera.width + px);
      }
    }
  }
  indices.sort((a, b) => a - b);
  return { indices: [...new Set(indices)] };
}

/**
 * Cameras that send motion pixels (a camera-side detector's output) at `rate` frame-sets/s
 * through POST /v1/streams/:id/frames, evidence on the fleet. Each request answers once its
 * frame-set's tracks are published, so the client's round trip is frame-set in → tracks out.
 */
export async function motionThroughput(
  tracker: ApiClient,
  gateway: ApiClient,
  trackerUrl: string,
  key: string,
  options: ThroughputOptions,
): Promise<ThroughputReport> {
  const gridDims: [number, number, number] = [128, 128, 32];
  const voxelSize = 0.2;
  const frames = Math.ceil(options.rate * options.seconds);
  // The paths from a small-image scene (they do not depend on resolution), the rig drawn again
  // at full resolution from the same seed, as the tracker will read it back from metadata.
  const rigOptions = {
    count: options.cameras,
    layout: { kind: 'ring' as const, radius: 30, heights: [3, 12, 7.5] },
    resolutions: [[160, 90]] as [number, number][],
    fovDegrees: 65,
    aimJitter: 0.3,
  };
  const scene = createSyntheticScene({
    seed: 7,
    targets: options.targets,
    frames,
    fps: options.rate,
    gridDims,
    voxelSize,
    targetRadius: options.targetRadius,
    speed: 1.5,
    noiseSigma: 0,
    rig: rigOptions,
  });
  const centre: [number, number, number] = [0, 0, (gridDims[2] * voxelSize) / 2];
  const full = createCameraRig(
    { ...rigOptions, resolutions: [[options.width, options.height]], centre },
    new SeededRandom(scene.options.seed),
  );
  const metadata = full.map((camera, k) => cameraToOriginal(camera, 0, k, sceneImageFile(k, 0, 'pgm')));
  const cameras = metadata.map((entry) => cameraFromOriginal(entry, options.width, options.height));
  const projections = cameras.map((camera) => projectionMatrix(camera));
  let motionPixels = 0;
  const bodies = Array.from({ length: frames }, (_, f) => {
    const motions = cameras.map((camera, k) =>
      motionOf(camera, projections[k]!, scene.truthAt(f), options.targetRadius),
    );
    motionPixels += motions.reduce((n, m) => n + m.indices.length, 0);
    return JSON.stringify({ t: (f + 1) / options.rate, cameras: motions });
  });
  motionPixels = Math.round(motionPixels / Math.max(1, frames));

  const streamId = await createStream(
    tracker,
    'gpu-e2e-throughput',
    metadata,
    { width: options.width, height: options.height },
    scene.grid,
    options.rate,
  );
  let updates = 0;
  const socket = await subscribe(trackerUrl, key, streamId, () => (updates += 1));
  const client: number[] = [];
  const server: number[] = [];
  const rejected: string[] = [];
  let answered = 0;
  let tracksAtEnd = 0;
  const started = performance.now();
  // One frame-set at a time, each sent when due or as soon as the previous one is answered:
  // frame-sets of one stream must arrive in time order, which requests on parallel
  // connections do not promise. A late answer shows as a rate below the asked one.
  let late = 0;
  for (let f = 0; f < frames; f++) {
    const due = started + (f * 1000) / options.rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    else if (f > 0) late += 1;
    const sentAt = performance.now();
    const { status, body } = await tracker.postJson<{ latencyMs?: number; tracks?: number; gap?: string }>(
      `/v1/streams/${streamId}/frames`,
      bodies[f]!,
    );
    answered += 1;
    if (status !== 200) {
      rejected.push(`${status} ${JSON.stringify(body).slice(0, 200)}`);
      continue;
    }
    client.push(performance.now() - sentAt);
    server.push(body.latencyMs ?? 0);
    tracksAtEnd = body.tracks ?? tracksAtEnd;
  }
  const elapsedS = (performance.now() - started) / 1000;
  await sleep(300);
  socket.close();
  const view = await tracker.expect<StreamView>(200, 'GET', `/v1/streams/${streamId}`);
  return {
    options,
    grid: { dims: gridDims, voxelSize },
    motionPixelsPerFrameSet: motionPixels,
    sent: frames,
    answered,
    processed: view.live?.framesProcessed ?? 0,
    lost: view.live?.framesLost ?? 0,
    rejected: rejected.slice(0, 10),
    sentLate: late,
    lastGap: view.live?.lastGap?.reason ?? null,
    framesetsPerS: Number(((view.live?.framesProcessed ?? 0) / elapsedS).toFixed(2)),
    clientP50Ms: Number(percentile(client, 50).toFixed(1)),
    clientP99Ms: Number(percentile(client, 99).toFixed(1)),
    serverP50Ms: Number(percentile(server, 50).toFixed(1)),
    serverP99Ms: Number(percentile(server, 99).toFixed(1)),
    trackUpdates: updates,
    tracksAtEnd,
    placement: await evidencePlacement(gateway),
  };
}
