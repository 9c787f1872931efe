/**
 * GPU run: correctness checks, then the bench:gpu figures. Bundled by build-harness.mjs
 * into libs/cuda/build/device/ with the addon; writes gpu-latest.json and gpu-latest.log
 * to $OUT (or bench/results). Exits non-zero when a check failed.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { CudaDevice, discoverDevices } from '../../libs/cuda/src/index.js';
import { customKernels, kernelSuite, poolConcurrency, typedErrors } from './harness-checks.js';
import { backgroundModelChecks } from './harness-background.js';
import { runBench } from './harness-bench.js';
import { HarnessLog } from './harness-log.js';

const here = dirname(fileURLToPath(import.meta.url));
process.env.VOXELFLEET_CUDA_ADDON ??= join(here, 'voxelfleet_cuda.node');
const outDir = process.env.OUT ?? join(process.cwd(), 'bench', 'results');
const log = new HarnessLog(outDir, 'gpu-latest');

async function main(): Promise<void> {
  const found = discoverDevices();
  log.line(`discovery: ${JSON.stringify(found)}`);
  if (!found.available) {
    log.line(`no device: ${found.reason}`);
    return;
  }
  const dev = CudaDevice.open(0);
  log.line(`telemetry: ${JSON.stringify(dev.telemetry())}`);
  const t0 = performance.now();
  await kernelSuite(dev, log);
  await backgroundModelChecks(dev, log);
  await poolConcurrency(dev, log);
  typedErrors(dev, log);
  const { figures, extra } = await runBench(dev, log);
  log.line(`telemetry after bench: ${JSON.stringify(dev.telemetry())}`);
  log.line(`pool: ${JSON.stringify(dev.pool.stats())}`);
  await customKernels(dev, log, here);
  const result = {
    name: 'gpu-bench',
    date: new Date().toISOString(),
    machine: `${found.devices[0]!.name} (${found.devices[0]!.uuid}), CUDA driver API ${found.driverVersion}, runtime ${found.runtimeVersion}`,
    figures,
    goals: {
      pool_vs_cudamalloc_ratio: '>= 20',
      launch_roundtrip_us_p50: '<= 50',
      saxpy_fraction_of_copy: '>= 0.8',
      reduce_fraction_of_copy: '>= 0.8',
    },
    extra,
    checks_failed: log.failures,
    seconds: (performance.now() - t0) / 1000,
  };
  writeFileSync(join(outDir, 'gpu-latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  log.line(`figures: ${JSON.stringify(figures)}`);
  log.line(`checks failed: ${log.failures}`);
  process.exitCode = log.failures ? 1 : 0;
}

main().catch((e: unknown) => {
  log.line(`harness error: ${(e as Error).stack ?? String(e)}`);
  process.exitCode = 2;
});
