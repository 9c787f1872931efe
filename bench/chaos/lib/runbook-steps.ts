import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRunbooks, type LabelMatcher, type Runbook } from '@voxelfleet/observability';
import type { ChaosStack, StackApp } from './chaos-stack.js';
import { call } from './http-client.js';
import { parsePrometheusText, type MetricSample } from './prometheus-text.js';

/** The runbook an operator opens for each fault the suite injects. */
export const FAULT_RUNBOOKS: Record<string, string> = {
  'gpu-node-sigkill': 'node-lost',
  'gpu-node-sigstop': 'node-lost',
  'redis-restart': 'redis-down',
  'postgres-restart': 'postgres-down',
};

export interface RunbookStep {
  runbook: string;
  fault: string;
  kind: 'alert' | 'metric' | 'log' | 'endpoint';
  item: string;
  ok: boolean;
  detail: string;
}

/** docs/runbooks.md parsed, or none when the file is not there. */
export function loadRunbooks(repoRoot: string): Runbook[] {
  const file = join(repoRoot, 'docs/runbooks.md');
  return existsSync(file) ? parseRunbooks(readFileSync(file, 'utf8')) : [];
}

function matches(sample: MetricSample, name: string, matchers: readonly LabelMatcher[]): boolean {
  if (sample.name !== name && sample.name !== `${name}_total` && sample.name !== `${name}_count`)
    return false;
  return matchers.every((m) => {
    const value = sample.labels[m.label] ?? '';
    switch (m.op) {
      case '=':
        return value === m.value;
      case '!=':
        return value !== m.value;
      case '=~':
        return new RegExp(`^(?:${m.value})$`).test(value);
      case '!~':
        return !new RegExp(`^(?:${m.value})$`).test(value);
    }
  });
}

/** Per service, the sum of the samples a selector picks, or undefined where none matched. */
function selectorValues(
  scrapes: Map<string, MetricSample[]>,
  name: string,
  matchers: readonly LabelMatcher[],
): Map<string, number> {
  const values = new Map<string, number>();
  for (const [service, samples] of scrapes) {
    const picked = samples.filter((s) => matches(s, name, matchers));
    if (picked.length)
      values.set(
        service,
        picked.reduce((sum, s) => sum + s.value, 0),
      );
  }
  return values;
}

function alertRules(repoRoot: string): string {
  const dir = join(repoRoot, 'docker/prometheus/rules');
  if (!existsSync(dir)) return '';
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
}

/**
 * Follows one runbook's Detection list while a fault is on, as an operator would: every metric
 * is scraped from every service before the fault and every half second during it (the step
 * holds when the selector is exported and its value moved), every log line is looked for in
 * the named service's output since the fault, every endpoint is called (an answer, 2xx or the
 * 503 a readiness check gives, holds; 404, 5xx or no answer fails), and every alert must be a
 * rule Prometheus loads (alerts are not evaluated here: the run has no Prometheus).
 */
export class RunbookWatcher {
  private baseline = new Map<string, Map<string, number>>();
  private readonly moved = new Map<string, string>();
  private readonly exported = new Set<string>();
  private readonly endpointAnswers = new Map<string, number>();
  private readonly logMarks = new Map<StackApp, number>();
  private timer?: NodeJS.Timeout;
  private ticking = false;

  constructor(
    private readonly stack: ChaosStack,
    private readonly runbook: Runbook,
    private readonly fault: string,
    private readonly repoRoot: string,
    /** What `{id}` in an endpoint stands for: the victim node, once the fault has picked it. */
    public ids: { nodeId?: string; jobId?: string } = {},
  ) {}

  private async scrapeAll(): Promise<Map<string, MetricSample[]>> {
    const scrapes = new Map<string, MetricSample[]>();
    await Promise.all(
      this.stack.apps.map(async (app) => {
        if (!app.process.running) return;
        const res = await call('GET', `${app.url}/metrics`, { timeoutMs: 2_000 });
        if (res.status === 200) scrapes.set(app.name, parsePrometheusText(res.text));
      }),
    );
    return scrapes;
  }

  async before(): Promise<void> {
    const scrapes = await this.scrapeAll();
    for (const metric of this.runbook.metrics) {
      const values = selectorValues(scrapes, metric.name, metric.matchers);
      if (values.size) this.exported.add(metric.selector);
      this.baseline.set(metric.selector, values);
    }
    for (const app of this.stack.apps) this.logMarks.set(app, app.process.linesSeen);
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), 500);
    void this.tick();
  }

  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      const scrapes = await this.scrapeAll();
      for (const metric of this.runbook.metrics) {
        const values = selectorValues(scrapes, metric.name, metric.matchers);
        if (values.size) this.exported.add(metric.selector);
        const base = this.baseline.get(metric.selector) ?? new Map<string, number>();
        for (const [service, value] of values) {
          if (!this.moved.has(metric.selector) && base.get(service) !== value)
            this.moved.set(metric.selector, `${service}: ${base.get(service) ?? 'absent'} -> ${value}`);
        }
        // A service that stopped exporting it (or stopped answering) is no movement by itself.
      }
      for (const endpoint of this.runbook.endpoints) {
        const key = `${endpoint.method} ${endpoint.path}`;
        const previous = this.endpointAnswers.get(key);
        if (previous !== undefined && ((previous >= 200 && previous < 300) || previous === 503)) continue;
        const path = endpoint.path.replace('{id}', this.ids.nodeId ?? this.ids.jobId ?? 'unknown');
        const res = await call(endpoint.method, `${this.stack.gateway.url}${path}`, {
          key: this.stack.admin.key,
          timeoutMs: 3_000,
        });
        this.endpointAnswers.set(key, res.status);
      }
    } finally {
      this.ticking = false;
    }
  }

  stop(): RunbookStep[] {
    clearInterval(this.timer);
    const steps: RunbookStep[] = [];
    const step = (kind: RunbookStep['kind'], item: string, ok: boolean, detail: string) =>
      steps.push({ runbook: this.runbook.id, fault: this.fault, kind, item, ok, detail });
    const rules = alertRules(this.repoRoot);
    for (const alert of this.runbook.alerts)
      step(
        'alert',
        alert.name,
        rules.includes(`alert: ${alert.name}`),
        rules.includes(`alert: ${alert.name}`) ? 'a loaded rule (not evaluated in this run)' : 'no such rule',
      );
    for (const metric of this.runbook.metrics) {
      const moved = this.moved.get(metric.selector);
      const exported = this.exported.has(metric.selector);
      step(
        'metric',
        metric.selector,
        exported && moved !== undefined,
        !exported ? 'not exported by any service' : (moved ?? 'exported, did not move during the fault'),
      );
    }
    for (const log of this.runbook.logs) {
      const apps = this.stack.apps.filter((app) => !log.service || app.role === log.service);
      const hit = apps.flatMap((app) =>
        app.process
          .linesSince(this.logMarks.get(app) ?? 0)
          .filter((line) => line.includes(log.text))
          .map(() => app.name),
      );
      step(
        'log',
        log.text,
        hit.length > 0,
        hit.length
          ? `${hit.length} lines (${[...new Set(hit)].join(', ')})`
          : `not logged by ${log.service ?? 'any service'} during the fault`,
      );
    }
    for (const endpoint of this.runbook.endpoints) {
      const key = `${endpoint.method} ${endpoint.path}`;
      const status = this.endpointAnswers.get(key);
      const ok = status !== undefined && ((status >= 200 && status < 300) || status === 503);
      step(
        'endpoint',
        key,
        ok,
        status === undefined ? 'not called' : `answered ${status === 0 ? 'nothing' : status}`,
      );
    }
    return steps;
  }
}
