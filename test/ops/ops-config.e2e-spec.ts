import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { parse, stringify } from 'yaml';
import {
  alertRules,
  dashboards,
  GRAFANA_PROVISIONING_DIR,
  metricNamesIn,
  PROMETHEUS_DIR,
  ROOT,
  ruleFiles,
  RULES_DIR,
  ruleTestFiles,
  runbooks,
  withoutGrafanaVariables,
} from './support/ops-files.js';

/**
 * The Prometheus configuration, alert rules and Grafana dashboards, checked with Prometheus's
 * own tool (Debian's `prometheus` package ships it as /usr/bin/promtool; CI installs it), and
 * against the runbooks they link to.
 */
const work = mkdtempSync(join(tmpdir(), 'vf-ops-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function promtool(...args: string[]): string {
  const run = spawnSync('promtool', args, { encoding: 'utf8' });
  if (run.error) {
    throw new Error(
      `promtool is not installed (apt-get install prometheus; CI installs it): ${run.error.message}`,
    );
  }
  const output = `${run.stdout}${run.stderr}`;
  if (run.status !== 0) throw new Error(`promtool ${args.join(' ')} failed:\n${output}`);
  return output;
}

interface Compose {
  services: Record<string, { volumes?: string[] }>;
}
const compose = parse(readFileSync(resolve(ROOT, 'docker/compose.yml'), 'utf8'), { merge: true }) as Compose;

describe('Prometheus configuration and alert rules', () => {
  const config = parse(readFileSync(resolve(PROMETHEUS_DIR, 'prometheus.yml'), 'utf8')) as {
    rule_files: string[];
    scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
  };

  it('passes promtool check config, rules included', () => {
    // The rule_files glob points into the container; here it points at the repository's rules.
    const local = join(work, 'prometheus.yml');
    writeFileSync(local, stringify({ ...config, rule_files: [join(RULES_DIR, '*.yml')] }));
    const output = promtool('check', 'config', local);
    expect(output).toMatch(/SUCCESS/);
    expect(output).toMatch(new RegExp(`SUCCESS: ${alertRules().length} rules found`));
  });

  it('passes promtool check rules', () => {
    expect(promtool('check', 'rules', ...ruleFiles())).toMatch(/SUCCESS/);
  });

  it('passes its rule unit tests, and every alert is tested firing', () => {
    expect(ruleTestFiles().length).toBeGreaterThan(0);
    expect(promtool('test', 'rules', ...ruleTestFiles())).toMatch(/SUCCESS/);
    const fired = new Set<string>();
    for (const file of ruleTestFiles()) {
      const doc = parse(readFileSync(file, 'utf8')) as {
        tests: { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[];
      };
      for (const test of doc.tests)
        for (const check of test.alert_rule_test ?? [])
          if (check.exp_alerts.length > 0) fired.add(check.alertname);
    }
    expect(
      alertRules()
        .map((rule) => rule.alert)
        .filter((name) => !fired.has(name)),
    ).toEqual([]);
  });

  it('scrapes every service compose runs, and loads the rules compose mounts', () => {
    const targets = config.scrape_configs.flatMap((job) => job.static_configs.flatMap((s) => s.targets));
    expect(targets.sort()).toEqual(
      ['gateway:3000', 'scheduler:3001', 'gpu-node-gpu:3002', 'gpu-node-cpu:3002', 'tracker:3003'].sort(),
    );
    for (const target of targets) expect(Object.keys(compose.services)).toContain(target.split(':')[0]);
    expect(compose.services.prometheus?.volumes).toContain('./prometheus/rules:/etc/prometheus/rules:ro');
    expect(config.rule_files).toEqual(['/etc/prometheus/rules/*.yml']);
  });

  it('gives every alert a severity, a summary, and a runbook that exists', () => {
    const anchors = new Set(runbooks().map((runbook) => runbook.id));
    const problems = alertRules().flatMap((rule) => {
      const out: string[] = [];
      if (!['critical', 'warning', 'info'].includes(rule.labels?.severity ?? ''))
        out.push(`${rule.alert}: severity`);
      if (!rule.annotations?.summary) out.push(`${rule.alert}: summary`);
      const anchor = /^docs\/runbooks\.md#([\w-]+)$/.exec(rule.annotations?.runbook_url ?? '')?.[1];
      if (!anchor || !anchors.has(anchor))
        out.push(`${rule.alert}: runbook_url ${rule.annotations?.runbook_url}`);
      return out;
    });
    expect(problems).toEqual([]);
  });

  it('has every alert a runbook names', () => {
    const alerts = new Set(alertRules().map((rule) => rule.alert));
    const missing = runbooks().flatMap((runbook) =>
      runbook.alerts.filter((a) => !alerts.has(a.name)).map((a) => `${runbook.id}: ${a.name}`),
    );
    expect(missing).toEqual([]);
  });
});

describe('Grafana dashboards', () => {
  const datasource = parse(
    readFileSync(resolve(GRAFANA_PROVISIONING_DIR, 'datasources/prometheus.yml'), 'utf8'),
  ) as {
    datasources: { uid: string; type: string }[];
  };
  const provider = parse(
    readFileSync(resolve(GRAFANA_PROVISIONING_DIR, 'dashboards/voxelfleet.yml'), 'utf8'),
  ) as {
    providers: { type: string; options: { path: string } }[];
  };

  it('covers GPUs, the scheduler, tracking and tenants, each with its own uid', () => {
    const uids = dashboards().map(({ dashboard }) => dashboard.uid);
    expect(uids.sort()).toEqual(
      ['voxelfleet-gpus', 'voxelfleet-scheduler', 'voxelfleet-tenants', 'voxelfleet-tracking'].sort(),
    );
  });

  it('are provisioned from the folder compose mounts', () => {
    const path = provider.providers[0]?.options.path;
    expect(compose.services.grafana?.volumes).toContain(`./grafana/dashboards:${path}:ro`);
    expect(compose.services.grafana?.volumes).toContain(
      './grafana/provisioning:/etc/grafana/provisioning:ro',
    );
  });

  it('query the provisioned Prometheus datasource with queries promtool parses', () => {
    const uid = datasource.datasources[0]?.uid;
    expect(uid).toBeTruthy();
    const rules: { record: string; expr: string }[] = [];
    const problems: string[] = [];
    for (const { file, dashboard } of dashboards()) {
      for (const panel of dashboard.panels) {
        if (panel.type === 'row') continue;
        if (panel.datasource?.uid !== uid) problems.push(`${file} "${panel.title}": datasource`);
        if (!panel.targets?.length) problems.push(`${file} "${panel.title}": no query`);
        for (const target of panel.targets ?? []) {
          if (metricNamesIn(target.expr).length === 0)
            problems.push(`${file} "${panel.title}": selects no metric`);
          rules.push({
            record: `dashboard:check_${rules.length}`,
            expr: withoutGrafanaVariables(target.expr),
          });
        }
      }
      for (const variable of dashboard.templating.list) {
        if (variable.datasource?.uid !== uid) problems.push(`${file} variable ${variable.name}: datasource`);
      }
    }
    expect(problems).toEqual([]);
    // promtool parses PromQL only inside rule files: each query becomes a recording rule.
    const file = join(work, 'dashboard-queries.yml');
    writeFileSync(file, stringify({ groups: [{ name: 'dashboard-queries', rules }] }));
    expect(promtool('check', 'rules', file)).toMatch(new RegExp(`SUCCESS: ${rules.length} rules found`));
  });
});

describe('runbook log lines', () => {
  /** Every TypeScript source of one app, and of the shared libs it logs through. */
  function sources(app: string): string {
    const dirs = [resolve(ROOT, 'apps', app, 'src'), resolve(ROOT, 'libs')];
    return dirs
      .flatMap((dir) =>
        readdirSync(dir, { recursive: true, encoding: 'utf8' })
          .filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'))
          .map((file) => readFileSync(resolve(dir, file), 'utf8')),
      )
      .join('\n');
  }

  it('are messages the named service really logs', () => {
    const cache = new Map<string, string>();
    const problems = runbooks().flatMap((runbook) =>
      runbook.logs.flatMap((log) => {
        const { msg, service } = log;
        if (msg === undefined || service === undefined)
          return [`${runbook.id} line ${log.line}: write it as "msg":"..." (service)`];
        const code = cache.get(service) ?? sources(service);
        cache.set(service, code);
        const literal = [`'${msg}'`, `"${msg}"`, `\`${msg}\``];
        return literal.some((l) => code.includes(l)) ? [] : [`${runbook.id}: ${service} never logs "${msg}"`];
      }),
    );
    expect(problems).toEqual([]);
  });
});
