/**
 * Renders frames of the GPU scene on a worker thread (the scene is deterministic, so every
 * worker builds the same one): the benchmark renders its 600 frames on all cores instead of
 * one, which shortens each run on the GPU machine by about a minute.
 */
import { parentPort } from 'node:worker_threads';
import { createSyntheticScene, type SceneOptions } from '@voxelfleet/voxel';

export interface RenderJob {
  options: Partial<SceneOptions>;
  frames: number[];
}

export interface RenderedFrame {
  frame: number;
  camera: number;
  width: number;
  height: number;
  data: Uint8Array;
}

parentPort?.on('message', (job: RenderJob) => {
  const scene = createSyntheticScene(job.options);
  for (const f of job.frames) {
    const out: RenderedFrame[] = [];
    for (let k = 0; k < scene.cameras.length; k++) {
      const g = scene.renderFrame(f, k);
      const data = g.data as Uint8Array;
      // Transferred below, so it must own its buffer.
      const own = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : data.slice();
      out.push({ frame: f, camera: k, width: g.width, height: g.height, data: own });
    }
    parentPort!.postMessage(
      out,
      out.map((r) => r.data.buffer as ArrayBuffer),
    );
  }
  parentPort!.postMessage('done');
});
