#!/usr/bin/env node
// Bundles the gpu-node device check (the agent without Nest or Redis) with its CPU worker
// next to the addon in libs/cuda/build/device/, the folder that travels to a GPU machine.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'libs/cuda/build/device');
mkdirSync(out, { recursive: true });

await build({
  entryPoints: {
    'gpu-node-device-check': join(root, 'bench/gpu-node/device-check.ts'),
    'cpu-kernel.worker': join(root, 'apps/gpu-node/src/agent/cpu-kernel.worker.ts'),
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outdir: out,
  tsconfig: join(root, 'tsconfig.json'),
  banner: {
    js: "import { createRequire as vfCreateRequire } from 'node:module'; const require = vfCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});

const addon = join(root, 'libs/cuda/build/Release/voxelfleet_cuda.node');
if (existsSync(addon)) copyFileSync(addon, join(out, 'voxelfleet_cuda.node'));
