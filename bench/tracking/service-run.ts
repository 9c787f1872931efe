import { request } from 'node:http';
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
  /** The same, from `settledFrom` seconds on (after the start-up, when ghosts have cleared). */
  settled: SceneScore;
  frames: number;
  seconds: number;
}

/** Seconds after which the start-up transient (ghosts of the first frame) is over. */
export const SETTLED_FROM = 2.5;

/**
 * A multipart/form-data body built by hand: fields, then one PNG part per camera. (FormData
 * and Blob objects do not cross from a test runner's sandbox into fetch reliably.)
 */
function multipart(
  fields: Record<string, string>,
  files: { name: string; bytes: Uint8Array }[],
): { body: Buffer; contentType: string } {
  const boundary = `----voxelfleet${Date.now().toString(16)}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  for (const file of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.name}.png"\r\n` +
          'Content-Type: image/png\r\n\r\n',
      ),
      Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** One request over node:http (a test runner's sandbox hands fetch bodies it cannot read). */
function call<T>(
  url: string,
  key: string,
  path: string,
  init: { method?: string; body?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<T> {
  const method = init.method ?? 'GET';
  const body = typeof init.body === 'string' ? Buffer.from(init.body) : init.body;
  return new Promise<T>((resolve, reject) => {
    const req = request(
      `${url}${path}`,
      {
        method,
        agent: false,
        headers: {
          authorization: `Bearer ${key}`,
          ...(typeof init.body === 'string' ? { 'content-type': 'application/json' } : {}),
          ...(body ? { 'content-length': String(body.length) } : {}),
          ...init.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status < 200 || status >= 300) {
            reject(new Error(`${method} ${path}: ${status} ${text.slice(0, 300)}`));
            return;
          }
          try {
            resolve((text ? JSON.parse(text) : {}) as T);
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
      },
    );
    req.on('error', (error) => reject(new Error(`${method} ${path}: ${error.message}`, { cause: error })));
    req.end(body);
  });
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
  name = `scene-${scene.options.seed}-${Date.now()}`,
): Promise<ServiceRun> {
  const started = performance.now();
  const [width, height] = [scene.cameras[0]!.width, scene.cameras[0]!.height];
  const rig = await call<{ id: string }>(url, key, '/v1/rigs/import', {
    method: 'POST',
    body: JSON.stringify({
      name,
      metadata: sceneMetadata(scene, 'png'),
      resolution: { width, height },
    }),
  });
  const stream = await call<{ id: string }>(url, key, '/v1/streams', {
    method: 'POST',
    body: JSON.stringify({
      name,
      rigId: rig.id,
      grid: { origin: scene.grid.origin, dims: scene.grid.dims, voxelSize: scene.grid.voxelSize },
      parameters: { fps: scene.options.fps },
    }),
  });
  await call(url, key, `/v1/streams/${stream.id}/start`, { method: 'POST' });
  try {
    for (let f = 0; f < scene.totalFrames; f++) {
      const parts = scene.cameras.map((_, k) => ({
        name: `cam${k}`,
        bytes: encodePng(scene.renderFrame(f, k)),
      }));
      const { body, contentType } = multipart({ t: String(scene.timeOf(f)) }, parts);
      await call(url, key, `/v1/streams/${stream.id}/frames`, {
        method: 'POST',
        body,
        headers: { 'content-type': contentType },
      });
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
    const from = Math.round(SETTLED_FROM * scene.options.fps);
    return {
      score: scoreScene(frames, { voxelSize: scene.grid.voxelSize }),
      settled: scoreScene(frames.slice(from), { voxelSize: scene.grid.voxelSize }),
      frames: scene.totalFrames,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await call(url, key, `/v1/streams/${stream.id}/stop`, { method: 'POST' }).catch(() => undefined);
  }
}
