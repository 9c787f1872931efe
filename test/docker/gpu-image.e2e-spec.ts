import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { testRedisUrl } from '../support/env.js';
import { SpawnedApp } from '../support/spawned-app.js';
import {
  parseDockerfile,
  stage,
  stageCmd,
  stageCopies,
  stageEnv,
  stageWorkdir,
} from './dockerfile-stages.js';

/**
 * The GPU image, checked without a Docker engine: its CUDA build stage against the toolkit this
 * machine builds the addon with, its runtime stage's layout by laying the same files out in a
 * folder and starting the built gpu-node from there.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const dockerfile = parseDockerfile(readFileSync(resolve(ROOT, 'docker/Dockerfile'), 'utf8'));
const ADDON = 'libs/cuda/build/Release/voxelfleet_cuda.node';

// glibc of the distributions these images are built on: an addon linked on a newer glibc
// than the runtime's does not load there.
const GLIBC: Record<string, number> = {
  'ubuntu20.04': 2.31,
  'ubuntu22.04': 2.35,
  'ubuntu24.04': 2.39,
  bullseye: 2.31,
  bookworm: 2.36,
  trixie: 2.41,
};

function nvccRelease(): string {
  let out: string;
  try {
    out = execFileSync('nvcc', ['--version'], { encoding: 'utf8' });
  } catch (e) {
    throw new Error(`nvcc is needed to check the CUDA stage (CI machines have it): ${(e as Error).message}`, {
      cause: e,
    });
  }
  const m = /release (\d+\.\d+)/.exec(out);
  if (!m) throw new Error(`cannot read nvcc's release from: ${out}`);
  return m[1]!;
}

describe('docker/Dockerfile: the GPU image', () => {
  const cuda = stage(dockerfile, 'cuda-build');
  const gpu = stage(dockerfile, 'gpu');
  const cpu = stage(dockerfile, 'runtime');

  it('builds the addon on an NVIDIA CUDA devel image of the CUDA release this project builds with', () => {
    const m = /^nvidia\/cuda:(\d+\.\d+)\.\d+-devel-(ubuntu\d+\.\d+)$/.exec(cuda.base);
    expect(m).not.toBeNull();
    expect(m![1]).toBe(nvccRelease());
    const runtimeDistro = /-(bookworm|bullseye|trixie)(-slim)?$/.exec(gpu.base)?.[1];
    expect(runtimeDistro).toBeDefined();
    // Linked on an older (or the same) glibc than the runtime stage's, or it does not load there.
    expect(GLIBC[m![2]!]).toBeLessThanOrEqual(GLIBC[runtimeDistro!]!);
  });

  it('runs the same build script as npm ci and fails the image when it built nothing', () => {
    const run = cuda.instructions.filter((i) => i.op === 'RUN').map((i) => i.args);
    expect(run).toContain(`node libs/cuda/scripts/build-addon.mjs && test -f ${ADDON}`);
    const copied = stageCopies(cuda).flatMap((c) => c.sources);
    for (const needed of ['libs/cuda/native', 'libs/cuda/scripts', 'package.json'])
      expect(copied).toContain(needed);
    // The script finds Node's headers beside the node binary it runs with.
    expect(copied).toEqual(expect.arrayContaining(['/usr/local/bin/node', '/usr/local/include/node']));
  });

  it('links the CUDA runtime statically and needs no CUDA library at run time (the driver is injected)', () => {
    const built = resolve(ROOT, ADDON);
    expect(existsSync(built)).toBe(true);
    const needed = execFileSync('readelf', ['-d', built], { encoding: 'utf8' })
      .split('\n')
      .flatMap((l) => /\(NEEDED\)\s+Shared library: \[(.+)\]/.exec(l)?.[1] ?? []);
    expect(needed.length).toBeGreaterThan(0);
    expect(needed.filter((lib) => /cudart|libcuda|nvidia-ml/.test(lib))).toEqual([]);
  });

  it('asks the NVIDIA container runtime for compute and NVML, and for a driver that runs CUDA 13', () => {
    const env = stageEnv(gpu);
    expect(env.NVIDIA_VISIBLE_DEVICES).toBe('all');
    expect(env.NVIDIA_DRIVER_CAPABILITIES?.split(',').sort()).toEqual(['compute', 'utility']);
    expect(env.NVIDIA_REQUIRE_CUDA).toBe(`cuda>=${nvccRelease()}`);
    expect(env.VOXELFLEET_CUDA_ADDON).toBeUndefined();
    expect(stageCmd(gpu)).toEqual(['dist/apps/gpu-node/src/main.js']);
    expect(gpu.base).toBe(cpu.base);
  });

  it('keeps the CPU image the default (last stage) and gives compose gpu-node-gpu the GPU target', () => {
    expect(dockerfile.stages[dockerfile.stages.length - 1]?.name).toBe('runtime');
    interface Service {
      image?: string;
      build?: { target?: string };
      command?: string[];
    }
    const compose = parse(readFileSync(resolve(ROOT, 'docker/compose.yml'), 'utf8'), { merge: true }) as {
      services: Record<string, Service>;
    };
    const gpuNode = compose.services['gpu-node-gpu']!;
    expect(gpuNode.build?.target).toBe('gpu');
    expect(gpuNode.image).toBe('voxelfleet-gpu:latest');
    expect(gpuNode.command).toEqual(stageCmd(gpu));
    for (const [name, service] of Object.entries(compose.services)) {
      if (name === 'gpu-node-gpu' || !service.build) continue;
      expect([name, service.build.target]).toEqual([name, undefined]);
      expect([name, service.image]).toEqual([name, 'voxelfleet:latest']);
    }
  });

  describe("the GPU stage's files, laid out in a folder, run the built gpu-node on the addon", () => {
    const image = mkdtempSync(join(tmpdir(), 'vf-gpu-image-'));
    let app: SpawnedApp | undefined;

    afterAll(async () => {
      await app?.stop('SIGKILL');
      rmSync(image, { recursive: true, force: true });
    });

    /** Where a file of the image comes from on this machine: the build stages ran here as `npm ci` and `npm run build`. */
    const local = (from: string | null, source: string): string => {
      expect(['build', 'cuda-build']).toContain(from);
      return resolve(ROOT, relative('/app', source));
    };

    it('loads the addon from the image layout, with no override', async () => {
      const workdir = stageWorkdir(gpu);
      expect(workdir).toBe('/app');
      for (const copy of stageCopies(gpu)) {
        for (const source of copy.sources) {
          const inImage = resolve(
            workdir,
            copy.dest.endsWith('/') ? join(copy.dest, basename(source)) : copy.dest,
          );
          const target = join(image, relative(workdir, inImage));
          mkdirSync(dirname(target), { recursive: true });
          // node_modules is the pruned production tree in the image; here the full tree stands in.
          if (basename(source) === 'node_modules') symlinkSync(local(copy.from, source), target);
          else cpSync(local(copy.from, source), target, { recursive: true });
        }
      }
      expect(existsSync(join(image, ADDON))).toBe(true);
      const [entry] = stageCmd(gpu)!;
      app = SpawnedApp.start(join(image, entry!), {
        PORT: '4545',
        HOST: '127.0.0.1',
        REDIS_URL: testRedisUrl(),
        QUEUE_PREFIX: `vf-e2e-image-${process.pid}`,
        NODE_ID: 'node-image',
        LOG_LEVEL: 'info',
        ...stageEnv(gpu),
      });
      await app.waitForLine(/node agent consuming its queue/);
      const discovery = app.logs().find((l) => l.msg === 'no CUDA device: this is a CPU node');
      expect(discovery).toMatchObject({ addon: { loaded: true, path: join(image, ADDON) } });
      expect(discovery?.state).toMatch(/^no-(driver|device)$/);
    });
  });
});
