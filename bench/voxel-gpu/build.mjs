#!/usr/bin/env node
// Bundles the GPU tracking benchmark with its worker threads next to the addon in
// libs/cuda/build/device/, the folder that travels to a GPU machine (CUDA, no Node project).
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'libs/cuda/build/device');
mkdirSync(out, { recursive: true });

await build({
  entryPoints: {
    'voxel-gpu': join(root, 'bench/voxel-gpu/main.ts'),
    'detection-worker': join(root, 'libs/voxel/src/detect/detection-worker.ts'),
    'evidence-worker': join(root, 'libs/voxel/src/evidence/evidence-worker.ts'),
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outdir: out,
  outExtension: { '.js': '.js' },
  // pngjs is CommonJS; give the ESM bundle a require for its node: built-ins.
  banner: {
    js: "import { createRequire as vfCreateRequire } from 'node:module'; const require = vfCreateRequire(import.meta.url);",
  },
  alias: {
    '@voxelfleet/contracts': join(root, 'libs/contracts/src/index.ts'),
    '@voxelfleet/voxel': join(root, 'libs/voxel/src/index.ts'),
  },
  logLevel: 'warning',
});

const addon = join(root, 'libs/cuda/build/Release/voxelfleet_cuda.node');
if (existsSync(addon)) copyFileSync(addon, join(out, 'voxelfleet_cuda.node'));
