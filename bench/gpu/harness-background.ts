/**
 * motion.background on the GPU against libs/voxel's BackgroundModel on the CPU: the same
 * frames through both, changed pixels and weights compared exactly, 8- and 16-bit, with
 * sizes that are not multiples of the block size.
 */
import { CudaBackgroundModel, type CudaDevice } from '../../libs/cuda/src/index.js';
import { BackgroundModel, DEFAULT_BACKGROUND_OPTIONS } from '../../libs/voxel/src/motion/background-model.js';
import type { HarnessLog } from './harness-log.js';

function frames(width: number, height: number, depth: 8 | 16, count: number, seed: number) {
  let state = seed;
  const random = () => (state = (state * 48271) % 2147483647) / 2147483647;
  const max = depth === 8 ? 255 : 65535;
  const scale = depth === 8 ? 1 : 256;
  return Array.from({ length: count }, (_, f) => {
    const data = depth === 8 ? new Uint8Array(width * height) : new Uint16Array(width * height);
    const cx = (f * 7) % width;
    const cy = (f * 5) % height;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const noise = (random() + random() + random() - 1.5) * 4 * scale;
        const blob = (x - cx) ** 2 + (y - cy) ** 2 < 64 ? 90 * scale : 0;
        data[y * width + x] = Math.max(0, Math.min(max, Math.round(60 * scale + noise + blob)));
      }
    }
    return { width, height, bitDepth: depth, data };
  });
}

export async function backgroundModelChecks(dev: CudaDevice, log: HarnessLog): Promise<void> {
  for (const [width, height, depth] of [
    [641, 479, 8],
    [333, 257, 16],
  ] as const) {
    const gpu = new CudaBackgroundModel(
      dev,
      width,
      height,
      DEFAULT_BACKGROUND_OPTIONS,
      'check',
      depth === 8 ? 1 : 2,
    );
    const cpu = new BackgroundModel(width, height);
    let same = true;
    let changed = 0;
    for (const frame of frames(width, height, depth, 8, 12345)) {
      const g = await gpu.update(frame);
      const c = cpu.update(frame);
      changed += c.count;
      if (g.count !== c.count) same = false;
      for (let i = 0; same && i < c.count; i++) {
        if (g.indices[i] !== c.indices[i] || g.weights[i] !== c.weights[i]) same = false;
      }
    }
    gpu.dispose();
    log.check(
      `motion.background GPU == CPU ${width}x${height} ${depth}-bit, 8 frames`,
      same && changed > 0,
      `${changed} changed pixels`,
    );
  }
}
