#!/usr/bin/env node
// Bundles the GPU tracking benchmark with its worker threads for a GPU machine.
import { bundleForDevice } from '../lib/device-bundle.mjs';

await bundleForDevice({
  'voxel-gpu': 'bench/voxel-gpu/main.ts',
  'render-worker': 'bench/voxel-gpu/render-worker.ts',
  'detection-worker': 'libs/voxel/src/detect/detection-worker.ts',
  'evidence-worker': 'libs/voxel/src/evidence/evidence-worker.ts',
});
