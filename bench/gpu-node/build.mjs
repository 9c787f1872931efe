#!/usr/bin/env node
// Bundles the gpu-node device check (the agent without Nest or Redis) with its CPU worker.
import { bundleForDevice } from '../lib/device-bundle.mjs';

await bundleForDevice({
  'gpu-node-device-check': 'bench/gpu-node/device-check.ts',
  'cpu-kernel.worker': 'apps/gpu-node/src/agent/cpu-kernel.worker.ts',
});
