import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/**
 * Renders a kustomization the way `kubectl kustomize` does, for the fields this project uses:
 * file resources, a namespace, labels and image names. Any other field is refused, so a
 * kustomization that outgrows this renderer fails its test instead of being half read.
 */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

interface Kustomization {
  apiVersion: string;
  kind: string;
  namespace?: string;
  labels?: { pairs: Record<string, string>; includeSelectors?: boolean; includeTemplates?: boolean }[];
  resources: string[];
  images?: { name: string; newName?: string; newTag?: string }[];
}

const SUPPORTED = new Set(['apiVersion', 'kind', 'namespace', 'labels', 'resources', 'images']);
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'PersistentVolume',
  'StorageClass',
]);

export function readYamlDocuments(path: string): unknown[] {
  return parseAllDocuments(readFileSync(path, 'utf8')).map((doc) => {
    if (doc.errors.length) throw new Error(`${path}: ${doc.errors.map((e) => e.message).join('; ')}`);
    return doc.toJS() as unknown;
  });
}

export function readKustomization(dir: string): Kustomization {
  const [k] = readYamlDocuments(join(dir, 'kustomization.yaml')) as Kustomization[];
  if (!k || k.kind !== 'Kustomization') throw new Error('kustomization.yaml is not a Kustomization');
  const unsupported = Object.keys(k).filter((key) => !SUPPORTED.has(key));
  if (unsupported.length)
    throw new Error(`kustomization fields this renderer does not read: ${unsupported.join(', ')}`);
  for (const l of k.labels ?? [])
    if (l.includeSelectors) throw new Error('labels.includeSelectors is not rendered');
  return k;
}

/** Pod templates of a workload: what labels with includeTemplates reach. */
export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: PodSpec;
}

export function podTemplateOf(o: K8sObject): PodTemplate | null {
  return (o.spec as { template?: PodTemplate } | undefined)?.template ?? null;
}

export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  [field: string]: unknown;
}

export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  [field: string]: unknown;
}

export function renderKustomization(dir: string): K8sObject[] {
  const k = readKustomization(dir);
  const objects = k.resources.flatMap((file) => readYamlDocuments(join(dir, file)) as K8sObject[]);
  for (const o of objects) {
    if (k.namespace && !CLUSTER_SCOPED.has(o.kind)) o.metadata.namespace = k.namespace;
    for (const { pairs, includeTemplates } of k.labels ?? []) {
      o.metadata.labels = { ...o.metadata.labels, ...pairs };
      const template = includeTemplates ? podTemplateOf(o) : null;
      if (template)
        template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, ...pairs } };
    }
    const pod = podTemplateOf(o)?.spec;
    for (const c of [...(pod?.containers ?? []), ...(pod?.initContainers ?? [])]) {
      const [name, tag] = c.image.split(':');
      const rule = k.images?.find((i) => i.name === name);
      const newTag = rule?.newTag ?? tag;
      if (rule) c.image = `${rule.newName ?? name}${newTag ? `:${newTag}` : ''}`;
    }
  }
  return objects;
}
