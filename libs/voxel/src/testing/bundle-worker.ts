import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';

/**
 * The worker pools run compiled JavaScript in their threads; tests bundle the worker module
 * into a temporary folder instead. `remove` deletes it.
 */
export function bundleWorkerForTest(entry: string): { url: URL; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'voxel-worker-'));
  const outfile = join(dir, basename(entry).replace(/\.ts$/, '.mjs'));
  buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    alias: { '@voxelfleet/contracts': './libs/contracts/src/index.ts' },
    logLevel: 'silent',
  });
  return { url: pathToFileURL(outfile), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
