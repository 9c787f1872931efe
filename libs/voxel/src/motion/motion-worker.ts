import { parentPort } from 'node:worker_threads';
import { BackgroundModel, type BackgroundModelOptions } from './background-model.js';
import type { GreyFrame, MotionPixels } from './grey-frame.js';

export type MotionWorkerMessage =
  | {
      kind: 'init';
      cameras: { index: number; width: number; height: number }[];
      options: Partial<BackgroundModelOptions>;
    }
  | { kind: 'frames'; id: number; frames: { index: number; frame: GreyFrame }[] };

export interface MotionWorkerReply {
  id: number;
  motions?: { index: number; motion: MotionPixels }[];
  error?: string;
}

// Runs in a worker thread of MotionWorkerPool and owns the background models of its cameras.
const models = new Map<number, BackgroundModel>();
parentPort?.on('message', (msg: MotionWorkerMessage) => {
  if (msg.kind === 'init') {
    for (const c of msg.cameras) models.set(c.index, new BackgroundModel(c.width, c.height, msg.options));
    return;
  }
  try {
    const motions = msg.frames.map(({ index, frame }) => {
      const model = models.get(index);
      if (!model) throw new RangeError(`camera ${index} is not on this worker`);
      const m = model.update(frame);
      // Copies: the model reuses its arrays on the next frame.
      return {
        index,
        motion: { ...m, indices: m.indices.slice(0, m.count), weights: m.weights.slice(0, m.count) },
      };
    });
    const transfer = motions.flatMap((m) => [m.motion.indices.buffer, m.motion.weights.buffer]);
    parentPort!.postMessage({ id: msg.id, motions } satisfies MotionWorkerReply, transfer);
  } catch (error) {
    parentPort!.postMessage({
      id: msg.id,
      error: error instanceof Error ? error.message : String(error),
    } satisfies MotionWorkerReply);
  }
});
