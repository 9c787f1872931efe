#!/usr/bin/env node
// Bundles the GPU harness (no dependencies at run time) with the built addon and the
// custom-kernel PTX into libs/cuda/build/device/, the folder that travels to a GPU machine
// which has CUDA but no Node.js project.
import { execFileSync } from 'node:child_process';
import console from 'node:console';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'libs/cuda/build/device');
mkdirSync(out, { recursive: true });

await build({
  entryPoints: [join(root, 'bench/gpu/gpu-harness.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: join(out, 'gpu-harness.mjs'),
  alias: { '@voxelfleet/contracts': join(root, 'libs/contracts/src/index.ts') },
  logLevel: 'warning',
});

const addon = join(root, 'libs/cuda/build/Release/voxelfleet_cuda.node');
if (existsSync(addon)) copyFileSync(addon, join(out, 'voxelfleet_cuda.node'));
else console.log('build-harness: no addon built; the harness will report "no device"');

try {
  execFileSync(
    'nvcc',
    [
      '-ptx',
      '-arch=compute_90',
      join(root, 'bench/gpu/fixtures/custom-kernels.cu'),
      '-o',
      join(out, 'custom-kernels.ptx'),
    ],
    {
      stdio: 'inherit',
    },
  );
} catch {
  console.log('build-harness: nvcc -ptx failed or nvcc absent; custom-kernel checks will be skipped');
}
console.log(`build-harness: ${out}`);
process.exit(0);
