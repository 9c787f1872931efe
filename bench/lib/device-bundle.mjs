// Bundles a GPU-machine entry point (and its worker threads) with esbuild next to the built
// addon in libs/cuda/build/device/: the folder that travels to a GPU machine, which has CUDA
// and a node binary but no Node project.
import console from 'node:console';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const deviceDir = join(root, 'libs/cuda/build/device');

/** @param {Record<string, string>} entryPoints output name → source path relative to the repo root */
export async function bundleForDevice(entryPoints) {
  mkdirSync(deviceDir, { recursive: true });
  await build({
    entryPoints: Object.fromEntries(
      Object.entries(entryPoints).map(([name, path]) => [name, join(root, path)]),
    ),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outdir: deviceDir,
    // The @voxelfleet/* aliases come from the tsconfig paths.
    tsconfig: join(root, 'tsconfig.json'),
    // Some bundled packages are CommonJS; give the ESM bundle a require for node: built-ins.
    banner: {
      js: "import { createRequire as vfCreateRequire } from 'node:module'; const require = vfCreateRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
  const addon = join(root, 'libs/cuda/build/Release/voxelfleet_cuda.node');
  if (existsSync(addon)) copyFileSync(addon, join(deviceDir, 'voxelfleet_cuda.node'));
  else console.log('no addon built (no nvcc): the bundle will report "no device"');
}
