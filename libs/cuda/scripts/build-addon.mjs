#!/usr/bin/env node
// Builds libs/cuda/build/Release/voxelfleet_cuda.node with nvcc + g++ (CUDA runtime linked
// statically, sm_90 machine code plus compute_90 PTX so newer GPUs JIT it). Runs at
// `npm ci` (postinstall) and as `npm run build:cuda`. Without nvcc on PATH, or without
// Node's headers, it prints one line saying why and exits 0: the CPU paths need no addon.
import { execFileSync, spawnSync } from 'node:child_process';
import console from 'node:console';
import { existsSync, mkdirSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const native = join(root, 'native');
const out = join(root, 'build');
const objDir = join(out, 'obj');
const target = join(out, 'Release', 'voxelfleet_cuda.node');

function skip(why) {
  console.log(`cuda addon: skipped (${why}); built-in kernels will use their CPU paths`);
  process.exit(0);
}

function onPath(cmd) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const p = join(dir, cmd);
    if (dir && existsSync(p)) return realpathSync(p);
  }
  return null;
}

if (process.env.VOXELFLEET_SKIP_CUDA_BUILD === '1') skip('VOXELFLEET_SKIP_CUDA_BUILD=1');
const nvcc = onPath('nvcc');
if (!nvcc) skip('nvcc not found on PATH');
// nvcc may be a wrapper script; ask it where its toolkit lives.
function cudaTop() {
  try {
    const r = spawnSync(nvcc, ['--dryrun', '-E', '-x', 'cu', '/dev/null'], { encoding: 'utf8' });
    const m = /#\$ TOP=(.*)/.exec(`${r.stdout}${r.stderr}`);
    if (m?.[1]) return m[1].trim();
  } catch {
    // fall through to the environment
  }
  return process.env.CUDA_HOME ?? resolve(dirname(nvcc), '..');
}
const cudaInclude = resolve(cudaTop(), 'include');
if (!existsSync(join(cudaInclude, 'cuda_runtime_api.h'))) skip(`CUDA headers not found under ${cudaInclude}`);
const nodeInclude = [
  process.env.NODE_INCLUDE_DIR,
  resolve(dirname(process.execPath), '..', 'include', 'node'),
  '/usr/include/node',
].find((d) => d && existsSync(join(d, 'node_api.h')));
if (!nodeInclude) skip("Node's headers (node_api.h) not found; set NODE_INCLUDE_DIR");
const require = createRequire(import.meta.url);
const addonApi = dirname(require.resolve('node-addon-api/package.json'));

const gencode = ['-gencode=arch=compute_90,code=sm_90', '-gencode=arch=compute_90,code=compute_90'];
const headers = readdirSync(native).filter((f) => /\.(h|cuh)$/.test(f));
const newestHeader = Math.max(...headers.map((h) => statSync(join(native, h)).mtimeMs));

function stale(src, obj) {
  if (!existsSync(obj)) return true;
  const t = statSync(obj).mtimeMs;
  return statSync(src).mtimeMs > t || newestHeader > t;
}

function run(cmd, args) {
  execFileSync(cmd, args, { stdio: 'inherit' });
}

mkdirSync(objDir, { recursive: true });
mkdirSync(dirname(target), { recursive: true });
const objects = [];
let rebuilt = false;
for (const file of readdirSync(native).sort()) {
  const src = join(native, file);
  const obj = join(objDir, `${file}.o`);
  if (file.endsWith('.cu')) {
    objects.push(obj);
    if (!stale(src, obj)) continue;
    // voxel.evidence must match the float64 CPU rules bit for bit: no FMA contraction.
    const exact = ['voxel_evidence.cu', 'evidence_fused.cu', 'motion_background.cu'].includes(file)
      ? ['--fmad=false']
      : [];
    console.log(`cuda addon: nvcc ${file}`);
    run(nvcc, [
      '-c',
      '-O3',
      '-std=c++17',
      '-Xcompiler',
      '-fPIC',
      ...gencode,
      ...exact,
      '-I',
      native,
      src,
      '-o',
      obj,
    ]);
    rebuilt = true;
  } else if (file.endsWith('.cc')) {
    objects.push(obj);
    if (!stale(src, obj)) continue;
    console.log(`cuda addon: g++ ${file}`);
    run('g++', [
      '-c',
      '-O2',
      '-std=c++17',
      '-fPIC',
      '-fexceptions',
      '-Wall',
      '-DNAPI_VERSION=8',
      '-DNAPI_CPP_EXCEPTIONS',
      '-DNODE_ADDON_API_DISABLE_DEPRECATED',
      '-I',
      nodeInclude,
      '-I',
      addonApi,
      '-I',
      cudaInclude,
      '-I',
      native,
      src,
      '-o',
      obj,
    ]);
    rebuilt = true;
  }
}
if (rebuilt || !existsSync(target)) {
  console.log('cuda addon: link (static CUDA runtime)');
  run(nvcc, [
    '-shared',
    '-cudart',
    'static',
    '-Xcompiler',
    '-fPIC',
    ...gencode,
    ...objects,
    '-o',
    target,
    '-ldl',
    '-lpthread',
    '-lrt',
  ]);
}
console.log(`cuda addon: built ${target}`);
