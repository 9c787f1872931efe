import { Worker } from 'node:worker_threads';
import type { BackgroundModelOptions } from './background-model.js';
import type { GreyFrame, MotionPixels } from './grey-frame.js';
import type { MotionWorkerMessage, MotionWorkerReply } from './motion-worker.js';

/**
 * Per-camera motion extraction on worker threads: camera k's background model lives on
 * worker k mod size, so each frame-set's cameras are processed in parallel. Deterministic:
 * the same frames give the same motion as BackgroundModel on one thread.
 */
export class MotionWorkerPool {
  private readonly workers: Worker[];
  private readonly pending = new Map<
    number,
    { resolve: (r: MotionWorkerReply) => void; reject: (e: Error) => void }
  >();
  private nextId = 1;

  /** @param workerUrl the compiled motion-worker module (next to this file after a build, the default). */
  constructor(
    private readonly cameras: { width: number; height: number }[],
    options: Partial<BackgroundModelOptions> = {},
    readonly size = 2,
    workerUrl: URL = new URL('./motion-worker.js', import.meta.url),
  ) {
    this.workers = Array.from({ length: size }, (_, w) => {
      const worker = new Worker(workerUrl);
      worker.on('message', (reply: MotionWorkerReply) => {
        const p = this.pending.get(reply.id);
        this.pending.delete(reply.id);
        p?.resolve(reply);
      });
      worker.on('error', (error) => {
        for (const p of this.pending.values()) p.reject(error);
        this.pending.clear();
      });
      const mine = cameras.flatMap((c, index) =>
        index % size === w ? [{ index, width: c.width, height: c.height }] : [],
      );
      worker.postMessage({ kind: 'init', cameras: mine, options } satisfies MotionWorkerMessage);
      return worker;
    });
  }

  /**
   * Motion of every camera of a frame-set (null frames give null). The frames' pixel buffers
   * are copied to the workers; pass `transfer` to hand them over instead (they become unusable).
   */
  async extract(frames: (GreyFrame | null)[], transfer = false): Promise<(MotionPixels | null)[]> {
    if (frames.length !== this.cameras.length) throw new RangeError('one frame (or null) per camera');
    const replies = await Promise.all(
      this.workers.map((worker, w) => {
        const mine = frames.flatMap((frame, index) =>
          frame && index % this.size === w ? [{ index, frame }] : [],
        );
        const id = this.nextId++;
        return new Promise<MotionWorkerReply>((resolve, reject) => {
          this.pending.set(id, { resolve, reject });
          const buffers = transfer ? mine.map((m) => m.frame.data.buffer as ArrayBuffer) : [];
          worker.postMessage({ kind: 'frames', id, frames: mine } satisfies MotionWorkerMessage, buffers);
        });
      }),
    );
    const out: (MotionPixels | null)[] = frames.map(() => null);
    for (const reply of replies) {
      if (reply.error) throw new Error(reply.error);
      for (const { index, motion } of reply.motions ?? []) out[index] = motion;
    }
    return out;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
