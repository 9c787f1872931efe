import {
  encodePng,
  sceneMetadata,
  scoreScene,
  type EvaluatedFrame,
  type SceneScore,
  type SyntheticScene,
} from '@voxelfleet/voxel';

/** One scene through the running tracker's public REST API, scored against its truth. */
export interface ServiceRun {
  score: SceneScore;
  frames: number;
  seconds: number;
}

async function call<T>(url: string, key: string, path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(`${url}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${key}`,
      ...(init.body && !(init.body instanceof FormData) ? { 'content-type': 'application/json' } : {}),
    },
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : {}) as T;
}

/**
 * Imports the scene's rig from its metadata.json (POST /v1/rigs/import), creates and starts
 * a stream (POST /v1/streams, /start), posts every frame-set as PNGs (POST .../frames), reads
 * the track history back (GET .../tracks) and scores it with scoreScene. Stops the stream.
 */
export async function runSceneThroughService(
  url: string,
  key: string,
  scene: SyntheticScene,
): Promise<ServiceRun> {
  const started = performance.now();
  const [width, height] = [scene.cameras[0]!.width, scene.cameras[0]!.height];
  const rig = await call<{ id: string }>(url, key, '/v1/rigs/import', {
    method: 'POST',
    body: JSON.stringify({
      name: `bench-${scene.options.seed}`,
      metadata: sceneMetadata(scene, 'png'),
      resolution: { width, height },
    }),
  });
  const stream = await call<{ id: string }>(url, key, '/v1/streams', {
    method: 'POST',
    body: JSON.stringify({
      name: `bench-${scene.options.seed}`,
      rigId: rig.id,
      grid: { origin: scene.grid.origin, dims: scene.grid.dims, voxelSize: scene.grid.voxelSize },
      parameters: { fps: scene.options.fps },
    }),
  });
  await call(url, key, `/v1/streams/${stream.id}/start`, { method: 'POST' });
  try {
    for (let f = 0; f < scene.totalFrames; f++) {
      const form = new FormData();
      form.set('t', String(scene.timeOf(f)));
      scene.cameras.forEach((_, k) =>
        form.set(
          `cam${k}`,
          new Blob([encodePng(scene.renderFrame(f, k))], { type: 'image/png' }),
          `cam${k}.png`,
        ),
      );
      await call(url, key, `/v1/streams/${stream.id}/frames`, { method: 'POST', body: form });
    }
    const history = await call<{
      tracks: { trackId: number; t: number; position: [number, number, number] }[];
    }>(url, key, `/v1/streams/${stream.id}/tracks?limit=100000`);
    const byFrame = new Map<number, EvaluatedFrame['tracks']>();
    for (const p of history.tracks) {
      const f = Math.round(p.t * scene.options.fps);
      const list = byFrame.get(f) ?? [];
      // History holds what was published: confirmed or coasting tracks.
      list.push({
        trackId: p.trackId,
        t: p.t,
        position: p.position,
        velocity: [0, 0, 0],
        covariance: [],
        confidence: 1,
        state: 'confirmed',
      });
      byFrame.set(f, list);
    }
    const frames: EvaluatedFrame[] = [];
    for (let f = scene.options.leadInFrames; f < scene.totalFrames; f++) {
      frames.push({ truth: scene.truthAt(f), tracks: byFrame.get(f) ?? [] });
    }
    return {
      score: scoreScene(frames, { voxelSize: scene.grid.voxelSize }),
      frames: scene.totalFrames,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await call(url, key, `/v1/streams/${stream.id}/stop`, { method: 'POST' }).catch(() => undefined);
  }
}
