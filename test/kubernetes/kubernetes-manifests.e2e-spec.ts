import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parseConfig } from '@voxelfleet/config';
import { DEFAULT_PORTS, type AppName } from '@voxelfleet/contracts';
import { parseAllDocuments } from 'yaml';
import type { z } from 'zod';
import { gatewayConfigSchema } from '../../apps/gateway/src/gateway.config.js';
import { gpuNodeConfigSchema } from '../../apps/gpu-node/src/gpu-node.config.js';
import { schedulerConfigSchema } from '../../apps/scheduler/src/scheduler.config.js';
import { trackerConfigSchema } from '../../apps/tracker/src/tracker.config.js';
import { parseDockerfile, stage, stageCmd } from '../docker/dockerfile-stages.js';
import {
  podTemplateOf,
  readKustomization,
  renderKustomization,
  type Container,
  type K8sObject,
} from './kustomize-render.js';
import { fieldErrors } from './manifest-types.js';

/**
 * deploy/kubernetes, checked without a cluster: every object against the Kubernetes API
 * schemas (kubernetes-models: the OpenAPI's JSON schemas for types and required fields, its
 * TypeScript types for unknown fields), and every container against the image it runs and the
 * configuration schema of the service it starts.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const DIR = resolve(ROOT, 'deploy/kubernetes');
const objects = renderKustomization(DIR);
const dockerfile = parseDockerfile(readFileSync(resolve(ROOT, 'docker/Dockerfile'), 'utf8'));

interface Model {
  validate(): void;
}
type ModelClass = new (data: unknown) => Model;

async function modelOf(o: K8sObject): Promise<ModelClass> {
  const group = (await import(`kubernetes-models/${o.apiVersion}`)) as Record<string, ModelClass | undefined>;
  const model = group[o.kind];
  if (!model) throw new Error(`kubernetes-models has no ${o.apiVersion} ${o.kind}`);
  return model;
}

const SCHEMAS: Record<AppName, z.ZodType> = {
  gateway: gatewayConfigSchema,
  scheduler: schedulerConfigSchema,
  'gpu-node': gpuNodeConfigSchema,
  tracker: trackerConfigSchema,
};
const MIGRATE = 'dist/libs/persistence/src/cli/migrate.js';

/** Which program a container runs, from its args (the images' entrypoint is `node`). */
function programOf(c: Container): { app: AppName } | { migrate: true } {
  const entry = c.args?.[0] ?? '';
  if (entry === MIGRATE) return { migrate: true };
  const app = /^dist\/apps\/([a-z-]+)\/src\/main\.js$/.exec(entry)?.[1];
  if (!app || !(app in SCHEMAS)) throw new Error(`${c.name}: ${entry} starts no known service`);
  return { app: app as AppName };
}

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string; optional?: boolean };
    configMapKeyRef?: { name: string; key: string; optional?: boolean };
    fieldRef?: { fieldPath: string };
  };
}

function find(kind: string, name: string): K8sObject {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind} ${name}`);
  return o;
}

function dataOf(o: K8sObject): Record<string, string> {
  return { ...(o.data as Record<string, string>), ...(o.stringData as Record<string, string>) };
}

// What the downward API gives at run time, for the schema check.
const FIELD_SAMPLES: Record<string, string> = {
  'spec.nodeName': 'gpu-worker-0.example.internal',
  'metadata.name': 'gpu-node-cpu-7d9f8b6c5-x2x4q',
};

/** The environment a container starts with, as the kubelet assembles it. */
function environmentOf(c: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of (c.envFrom ?? []) as {
    configMapRef?: { name: string };
    secretRef?: { name: string };
  }[]) {
    if (from.configMapRef) Object.assign(env, dataOf(find('ConfigMap', from.configMapRef.name)));
    if (from.secretRef) Object.assign(env, dataOf(find('Secret', from.secretRef.name)));
  }
  for (const v of (c.env ?? []) as EnvVar[]) {
    const ref = v.valueFrom?.secretKeyRef ?? v.valueFrom?.configMapKeyRef;
    if (v.value !== undefined) env[v.name] = v.value;
    else if (ref) {
      const value = dataOf(find(v.valueFrom?.secretKeyRef ? 'Secret' : 'ConfigMap', ref.name))[ref.key];
      if (value === undefined && !ref.optional) throw new Error(`${c.name}: ${ref.name} has no ${ref.key}`);
      if (value !== undefined) env[v.name] = value;
    } else if (v.valueFrom?.fieldRef) {
      const sample = FIELD_SAMPLES[v.valueFrom.fieldRef.fieldPath];
      if (!sample) throw new Error(`${c.name}: no sample for ${v.valueFrom.fieldRef.fieldPath}`);
      env[v.name] = sample;
    }
  }
  return env;
}

/** Every variable a container may be given (optional references included). */
function variableNames(c: Container): string[] {
  const fromRefs = (
    (c.envFrom ?? []) as { configMapRef?: { name: string }; secretRef?: { name: string } }[]
  ).flatMap((from) =>
    Object.keys(
      from.configMapRef
        ? dataOf(find('ConfigMap', from.configMapRef.name))
        : dataOf(find('Secret', from.secretRef!.name)),
    ),
  );
  return [...fromRefs, ...((c.env ?? []) as EnvVar[]).map((v) => v.name)];
}

const workloads = objects.filter((o) => ['Deployment', 'DaemonSet', 'Job'].includes(o.kind));
const containers = workloads.flatMap((w) =>
  podTemplateOf(w)!.spec.containers.map((c) => ({ workload: w, container: c })),
);

function quantity(q: string | number | undefined): number {
  if (q === undefined) return Number.NaN;
  const m = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi|Ti)?$/.exec(String(q));
  if (!m) throw new Error(`cannot read quantity ${q}`);
  const scale = { m: 1e-3, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 }[m[2] ?? ''] ?? 1;
  return Number(m[1]) * scale;
}

describe('deploy/kubernetes', () => {
  it('lists every manifest in the folder in its kustomization, and nothing else', () => {
    const files = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f) && f !== 'kustomization.yaml');
    expect([...readKustomization(DIR).resources].sort()).toEqual(files.sort());
  });

  it('has the objects the fleet needs', () => {
    const names = objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();
    expect(names).toEqual(
      [
        'ConfigMap/voxelfleet-common',
        'ConfigMap/voxelfleet-database',
        'DaemonSet/gpu-node-gpu',
        'Deployment/gateway',
        'Deployment/gpu-node-cpu',
        'Deployment/scheduler',
        'Deployment/tracker',
        'Job/voxelfleet-migrate',
        'Namespace/voxelfleet',
        'PodDisruptionBudget/scheduler',
        'Secret/voxelfleet-secrets',
        'Service/gateway',
        'Service/postgres',
        'Service/redis',
        'Service/scheduler',
        'Service/tracker',
      ].sort(),
    );
    for (const o of objects) if (o.kind !== 'Namespace') expect(o.metadata.namespace).toBe('voxelfleet');
  });

  it('validates every object against the Kubernetes API schemas', async () => {
    const failures: string[] = [];
    for (const o of objects) {
      try {
        new (await modelOf(o))(o).validate();
      } catch (e) {
        failures.push(`${o.kind}/${o.metadata.name}: ${(e as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('uses no field the Kubernetes API types do not declare', () => {
    expect(fieldErrors(objects, ROOT)).toEqual([]);
  }, 60_000);

  it('catches a misspelt field and a wrong type (the checks above can fail)', async () => {
    const gateway = structuredClone(find('Deployment', 'gateway'));
    const container = podTemplateOf(gateway)!.spec.containers[0]!;
    container.readinessprobe = container.readinessProbe;
    expect(fieldErrors([gateway], ROOT).join('\n')).toMatch(/readinessprobe/);
    const job = structuredClone(find('Job', 'voxelfleet-migrate'));
    (job.spec as { backoffLimit: unknown }).backoffLimit = 'six';
    const Job = await modelOf(job);
    expect(() => new Job(job).validate()).toThrow(/backoffLimit must be integer/);
  });

  it('runs each container on an image the Dockerfile builds, with an entry point the build produced', () => {
    const images: Record<string, string> = { 'voxelfleet:latest': 'runtime', 'voxelfleet-gpu:latest': 'gpu' };
    for (const { workload, container } of containers) {
      const where = `${workload.kind}/${workload.metadata.name}`;
      expect([where, images[container.image] !== undefined]).toEqual([where, true]);
      const built = stage(dockerfile, images[container.image]!);
      const entrypoint = built.instructions.filter((i) => i.op === 'ENTRYPOINT').pop()?.args;
      expect([where, entrypoint]).toEqual([where, '["node"]']);
      // args replace the image's CMD and keep its `node` entrypoint.
      expect([where, container.command]).toEqual([where, undefined]);
      expect([where, existsSync(resolve(ROOT, container.args![0]!))]).toEqual([where, true]);
    }
    // The GPU image runs only the gpu-node, and that is what the image itself would start.
    const gpu = containers.filter((c) => c.container.image.startsWith('voxelfleet-gpu:'));
    expect(gpu.map((c) => `${c.workload.kind}/${c.workload.metadata.name}`)).toEqual([
      'DaemonSet/gpu-node-gpu',
    ]);
    expect(gpu[0]!.container.args).toEqual(stageCmd(stage(dockerfile, 'gpu')));
  });

  it('gives each service only variables its configuration schema reads, and values it accepts', () => {
    for (const { workload, container } of containers) {
      const where = `${workload.kind}/${workload.metadata.name}`;
      const program = programOf(container);
      const keys =
        'app' in program ? Object.keys((SCHEMAS[program.app] as z.ZodObject).shape) : ['DATABASE_URL'];
      const unknown = variableNames(container).filter((name) => !keys.includes(name));
      expect([where, unknown]).toEqual([where, []]);
      if ('app' in program)
        expect(() => parseConfig(SCHEMAS[program.app], environmentOf(container))).not.toThrow();
      else expect(environmentOf(container).DATABASE_URL).toMatch(/^postgres:\/\//);
    }
  });

  it('serves each service on the port its configuration sets, probed on /health and scraped on /metrics', () => {
    for (const { workload, container } of containers) {
      const where = `${workload.kind}/${workload.metadata.name}`;
      const program = programOf(container);
      if (!('app' in program)) {
        expect([where, container.ports]).toEqual([where, undefined]);
        continue;
      }
      const config = parseConfig(SCHEMAS[program.app], environmentOf(container)) as { PORT: number };
      expect([where, config.PORT]).toEqual([where, DEFAULT_PORTS[program.app]]);
      const ports = container.ports as { name: string; containerPort: number }[];
      expect([where, ports]).toEqual([where, [{ name: 'http', containerPort: config.PORT }]]);
      // The image says which ports it serves.
      const image = stage(dockerfile, container.image.startsWith('voxelfleet-gpu:') ? 'gpu' : 'runtime');
      const exposed = image.instructions.filter((i) => i.op === 'EXPOSE').flatMap((i) => i.args.split(/\s+/));
      expect([where, exposed]).toEqual([where, expect.arrayContaining([String(config.PORT)])]);
      const probe = (p: unknown) => (p as { httpGet: { path: string; port: string | number } }).httpGet;
      expect([where, probe(container.livenessProbe)]).toEqual([
        where,
        { path: '/health/live', port: 'http' },
      ]);
      expect([where, probe(container.readinessProbe)]).toEqual([
        where,
        { path: '/health/ready', port: 'http' },
      ]);
      expect([where, probe(container.startupProbe)]).toEqual([where, { path: '/health/live', port: 'http' }]);
      expect([where, podTemplateOf(workload)!.metadata?.annotations]).toEqual([
        where,
        {
          'prometheus.io/scrape': 'true',
          'prometheus.io/port': String(config.PORT),
          'prometheus.io/path': '/metrics',
        },
      ]);
    }
  });

  it('routes each Service to the pods of one workload, on a port they name', () => {
    for (const service of objects.filter((o) => o.kind === 'Service')) {
      const spec = service.spec as {
        type?: string;
        selector?: Record<string, string>;
        ports: { port: number; targetPort?: string }[];
      };
      if (spec.type === 'ExternalName') continue;
      const matches = workloads.filter((w) =>
        Object.entries(spec.selector ?? {}).every(([k, v]) => podTemplateOf(w)!.metadata?.labels?.[k] === v),
      );
      expect([service.metadata.name, matches.length]).toEqual([service.metadata.name, 1]);
      const container = podTemplateOf(matches[0]!)!.spec.containers[0]!;
      const ports = container.ports as { name: string; containerPort: number }[];
      for (const p of spec.ports) {
        expect(ports.find((cp) => cp.name === p.targetPort)?.containerPort).toBe(p.port);
      }
    }
  });

  it('runs two schedulers (they elect a leader through Postgres) and keeps one through a drain', () => {
    expect((find('Deployment', 'scheduler').spec as { replicas: number }).replicas).toBe(2);
    expect(find('PodDisruptionBudget', 'scheduler').spec).toMatchObject({ minAvailable: 1 });
  });

  it('puts the GPU gpu-node on GPU machines with a GPU each, and CPU gpu-nodes anywhere', () => {
    const gpu = podTemplateOf(find('DaemonSet', 'gpu-node-gpu'))!.spec;
    expect(gpu.nodeSelector).toEqual({ 'nvidia.com/gpu.present': 'true' });
    expect(gpu.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    const limits = (gpu.containers[0]!.resources as { limits: Record<string, unknown> }).limits;
    expect(limits['nvidia.com/gpu']).toBeGreaterThanOrEqual(1);
    const cpu = podTemplateOf(find('Deployment', 'gpu-node-cpu'))!.spec;
    expect(JSON.stringify(cpu)).not.toContain('nvidia.com/gpu');
    expect(cpu.containers[0]!.image).toBe('voxelfleet:latest');
  });

  it("sizes each gpu-node's CPU path to its container, not to the machine it sees", () => {
    for (const { workload, container } of containers) {
      const program = programOf(container);
      if (!('app' in program) || program.app !== 'gpu-node') continue;
      const env = environmentOf(container);
      const { requests, limits } = container.resources as {
        requests: Record<string, string>;
        limits: Record<string, string>;
      };
      const where = `${workload.kind}/${workload.metadata.name}`;
      expect([where, Number(env.CPU_SLOTS) <= quantity(requests.cpu)]).toEqual([where, true]);
      expect([where, Number(env.HOST_POOL_BYTES) <= quantity(limits.memory) / 2]).toEqual([where, true]);
    }
  });

  it('runs the migrations as a Job with the migrate command', () => {
    const job = find('Job', 'voxelfleet-migrate');
    const container = podTemplateOf(job)!.spec.containers[0]!;
    expect(container.args).toEqual([MIGRATE, 'run']);
    expect(podTemplateOf(job)!.spec.restartPolicy).toBe('OnFailure');
  });

  const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  (kubectl.status === 0 ? it : it.skip)(
    'renders as kubectl kustomize does (where kubectl is installed)',
    () => {
      const out = spawnSync('kubectl', ['kustomize', DIR], { encoding: 'utf8' });
      expect(out.stderr).toBe('');
      const theirs = parseAllDocuments(out.stdout).map((d) => d.toJS() as K8sObject);
      const key = (o: K8sObject) => `${o.kind}/${o.metadata.name}`;
      const sort = (list: K8sObject[]) => [...list].sort((a, b) => key(a).localeCompare(key(b)));
      expect(sort(theirs)).toEqual(sort(objects));
    },
  );
});
