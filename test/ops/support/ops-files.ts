import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseRunbooks, type Runbook } from '@voxelfleet/observability';
import { parse } from 'yaml';

/** The operations files under test, read from the repository as Prometheus and Grafana would. */
export const ROOT = resolve(import.meta.dirname, '../../..');
export const PROMETHEUS_DIR = resolve(ROOT, 'docker/prometheus');
export const RULES_DIR = resolve(PROMETHEUS_DIR, 'rules');
export const RULE_TESTS_DIR = resolve(PROMETHEUS_DIR, 'tests');
export const DASHBOARDS_DIR = resolve(ROOT, 'docker/grafana/dashboards');
export const GRAFANA_PROVISIONING_DIR = resolve(ROOT, 'docker/grafana/provisioning');

export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface DashboardPanel {
  id: number;
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  targets?: { expr: string; datasource?: { uid: string } }[];
}

export interface Dashboard {
  uid: string;
  title: string;
  panels: DashboardPanel[];
  templating: { list: { name: string; query: { query: string } | string; datasource?: { uid: string } }[] };
}

const yamlFiles = (dir: string) =>
  readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => resolve(dir, name));

export const ruleFiles = () => yamlFiles(RULES_DIR);
export const ruleTestFiles = () => yamlFiles(RULE_TESTS_DIR);

export function alertRules(): AlertRule[] {
  return ruleFiles().flatMap((file) => {
    const doc = parse(readFileSync(file, 'utf8')) as {
      groups: { rules: (AlertRule | { record: string })[] }[];
    };
    return doc.groups.flatMap((group) => group.rules.filter((rule): rule is AlertRule => 'alert' in rule));
  });
}

export function dashboards(): { file: string; dashboard: Dashboard }[] {
  return readdirSync(DASHBOARDS_DIR)
    .filter((name) => name.endsWith('.json'))
    .map((name) => {
      const file = resolve(DASHBOARDS_DIR, name);
      return { file: name, dashboard: JSON.parse(readFileSync(file, 'utf8')) as Dashboard };
    });
}

export function runbooks(): Runbook[] {
  return parseRunbooks(readFileSync(resolve(ROOT, 'docs/runbooks.md'), 'utf8'));
}

/** Grafana's template variables replaced by values PromQL accepts, so promtool can parse the query. */
export function withoutGrafanaVariables(expr: string): string {
  return expr
    .replace(/\$__(rate_interval|interval|range)/g, '5m')
    .replace(/\$\{?(\w+)\}?/g, (_, name: string) => `__var_${name}`);
}

const NOT_METRICS = new Set(['and', 'or', 'unless', 'offset', 'bool', 'inf', 'nan', 'Inf', 'NaN']);

/**
 * Metric names a PromQL expression selects: strings, label matchers, ranges and grouping
 * clauses are taken out, function calls and keywords skipped, and what remains are selectors.
 */
export function metricNamesIn(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const match of bare.matchAll(/(?<![\w:.$])([a-zA-Z_:][\w:]*)\s*(\()?/g)) {
    const name = match[1]!;
    if (match[2] || NOT_METRICS.has(name)) continue;
    names.add(name);
  }
  return [...names];
}

/** Families in a Prometheus text exposition, from its TYPE lines (present even with no samples yet). */
export function metricFamilies(exposition: string): Map<string, string> {
  const families = new Map<string, string>();
  for (const match of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) families.set(match[1]!, match[2]!);
  return families;
}

/** The family a sample name belongs to: itself, or a histogram's or summary's `_bucket`/`_sum`/`_count`. */
export function familyOf(name: string, families: ReadonlyMap<string, string>): string | undefined {
  if (families.has(name)) return name;
  const suffix = /^(.*)_(bucket|sum|count)$/.exec(name);
  if (!suffix) return undefined;
  const type = families.get(suffix[1]!);
  if (type === 'histogram' || (type === 'summary' && suffix[2] !== 'bucket')) return suffix[1];
  return undefined;
}
