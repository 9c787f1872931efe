import type { FaultOutcome } from './faults.js';
import type { SurfaceResult } from './fuzz/fuzz-result.js';
import type { IsolationCase, IsolationResult } from './isolation.js';
import type { LedgerVerdict } from './job-ledger.js';
import type { LatencySummary, RssVerdict } from './stats.js';

export interface SoakResult {
  minutes: number;
  jobsAcceptedPerS: number;
  jobsSucceededPerS: number;
  framesPerS: number;
  updatesReceivedPerS: number;
  latencies: Record<string, LatencySummary>;
  errors: { jobs: number; admin: number; frames: number };
  rss: RssVerdict[];
  limits: { totalMb: number; secondHalfMb: number };
}

/** Everything one run found; the CLI writes it as markdown and JSON, the CI test asserts on it. */
export interface ChaosReport {
  startedAt: string;
  finishedAt: string;
  machine: string;
  parts: string[];
  faults: FaultOutcome[];
  ledger?: LedgerVerdict;
  fuzz: SurfaceResult[];
  /** Audit chains broken after the fuzzing (GET /admin/audit/verify; -1: it did not answer). */
  auditChainsBroken?: number;
  isolation?: IsolationResult & { cases: IsolationCase[] };
  soak?: SoakResult;
  notes: string[];
}

/** The figures of bench/results/chaos-latest.json. */
export function chaosFigures(report: ChaosReport): Record<string, number> {
  const figures: Record<string, number> = {
    jobs_lost: report.ledger ? report.ledger.lost.length + report.ledger.unacknowledged.unfinished.length : 0,
    duplicate_completions: report.ledger?.duplicateCompletions.length ?? 0,
    recovery_s_max: Math.max(0, ...report.faults.map((f) => f.recoveryS)),
    fuzz_cases: report.fuzz.reduce((sum, s) => sum + s.cases, 0),
    fuzz_5xx: report.fuzz.reduce((sum, s) => sum + (s.fiveXx ?? 0), 0),
    fuzz_changed_by_refusal: report.fuzz.reduce((sum, s) => sum + (s.changedByRefusal ?? 0), 0),
    audit_chains_broken: report.auditChainsBroken ?? 0,
    soak_rss_growth_mb: report.soak ? Math.max(0, ...report.soak.rss.map((r) => r.growthMb)) : 0,
  };
  if (report.ledger) {
    figures.jobs_accepted = report.ledger.accepted;
    figures.jobs_failed = report.ledger.failed.length;
  }
  for (const fault of report.faults) {
    const key = fault.name.replace(/-/g, '_');
    figures[`recovery_s_${key}`] = fault.recoveryS;
    figures[`stream_gap_s_${key}`] = fault.streamGapS;
  }
  const steps = report.faults.flatMap((f) => f.runbookSteps);
  figures.runbook_steps = steps.length;
  figures.runbook_steps_failed = steps.filter((s) => !s.ok).length;
  figures.faults_survived = report.faults.filter((f) => f.recovered && f.auditVerifies).length;
  figures.faults_injected = report.faults.length;
  for (const surface of report.fuzz) {
    const key = surface.surface.replace(/[^a-z0-9]+/gi, '_').toLowerCase();
    figures[`fuzz_cases_${key}`] = surface.cases;
    figures[`fuzz_findings_${key}`] = surface.findings.length;
  }
  if (report.isolation) {
    figures.isolation_cases = report.isolation.cases.length;
    figures.isolation_failures = report.isolation.cases.filter((c) => !c.ok).length;
    figures.key_leaks = report.isolation.keyLeaks.length;
  }
  if (report.soak) {
    figures.soak_minutes = report.soak.minutes;
    figures.soak_jobs_per_s = report.soak.jobsSucceededPerS;
    figures.soak_submit_p99_ms = report.soak.latencies['POST /v1/jobs']?.p99 ?? 0;
    figures.soak_admin_p99_ms = Math.max(
      0,
      ...Object.entries(report.soak.latencies)
        .filter(([k]) => k !== 'POST /v1/jobs' && k !== 'POST frames')
        .map(([, v]) => v.p99),
    );
    figures.soak_frames_p99_ms = report.soak.latencies['POST frames']?.p99 ?? 0;
    figures.soak_rss_unbounded_processes = report.soak.rss.filter((r) => !r.bounded).length;
  }
  return figures;
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

/** The human report: what was injected, what survived, what was found. */
export function chaosMarkdown(report: ChaosReport): string {
  const figures = chaosFigures(report);
  const lines: string[] = [];
  lines.push(`# Chaos run ${report.startedAt.slice(0, 10)}`, '');
  lines.push(
    `Machine: ${report.machine}. Parts run: ${report.parts.join(', ')}. From ${report.startedAt} to ${report.finishedAt}.`,
    '',
  );
  lines.push(
    'Stack: gateway, 2 schedulers, 3 gpu-nodes (CPU path), tracker, each the built app in its own process, on a private Postgres cluster and a private Redis (append-only file on).',
    '',
  );
  lines.push('## Summary', '', '| figure | value |', '| --- | --- |');
  for (const key of [
    'jobs_lost',
    'duplicate_completions',
    'recovery_s_max',
    'fuzz_cases',
    'fuzz_5xx',
    'fuzz_changed_by_refusal',
    'audit_chains_broken',
    'soak_rss_growth_mb',
  ])
    lines.push(
      `| \`${key}\` | ${fmt(figures[key] ?? Number.NaN, key.endsWith('_s_max') || key.endsWith('_mb') ? 1 : 0)} |`,
    );
  lines.push('');
  if (report.faults.length) {
    lines.push(
      '## Faults',
      '',
      '| fault | recovered | recovery s | fault lasted s | jobs on the victim | submissions refused | audit verifies | stream silent s | tracker reported gap | detection | runbook steps |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const f of report.faults) {
      const detected = f.detection.filter((d) => d.ok).length;
      const held = /^(\d+) jobs were placed/.exec(f.notes.join(' '))?.[1] ?? '0';
      const steps = f.runbookSteps.length
        ? `${f.runbookSteps.filter((r) => r.ok).length}/${f.runbookSteps.length}`
        : '-';
      lines.push(
        `| ${f.name} | ${f.recovered ? 'yes' : 'NO'} | ${fmt(f.recoveryS)} | ${f.outageS === undefined ? '-' : fmt(f.outageS)} | ${held} | ${f.refusedSubmissions} | ${f.auditVerifies ? 'yes' : 'NO'} | ${fmt(f.streamGapS)} | ${f.trackerReportedGap ? 'yes' : 'no'} | ${detected}/${f.detection.length} | ${steps} |`,
      );
    }
    lines.push(
      '',
      "Recovery: from the injection until a job submitted after it finished, every job the victim held when it was hit finished, and the fault's own condition held (new leader, node ready again, stream updates flowing).",
      '',
    );
    for (const f of report.faults) {
      lines.push(`### ${f.name}`, '', f.description, '');
      for (const d of f.detection)
        lines.push(
          `- ${d.ok ? 'seen' : 'NOT seen'}: ${d.check} (${d.detail.replace(/\n/g, ' ').slice(0, 200)})`,
        );
      for (const r of f.runbookSteps)
        lines.push(
          `- runbook \`${r.runbook}\` ${r.kind} \`${r.item}\`: ${r.ok ? 'ok' : 'FAILED'} (${r.detail})`,
        );
      for (const n of f.notes) lines.push(`- note: ${n}`);
      lines.push('');
    }
  }
  if (report.ledger) {
    const l = report.ledger;
    lines.push('## Jobs', '');
    lines.push(
      `- accepted (201): ${l.accepted}; succeeded: ${l.succeeded}; failed: ${l.failed.length}; lost: ${l.lost.length}; completed twice: ${l.duplicateCompletions.length}; started more than once (requeued or retried): ${l.restarted}.`,
    );
    lines.push(
      `- rows the client never saw a 201 for (answer lost in a fault): ${l.unacknowledged.total}, unfinished: ${l.unacknowledged.unfinished.length}.`,
    );
    const reasons = new Map<string, number>();
    for (const f of l.failed)
      reasons.set(f.reason.slice(0, 120), (reasons.get(f.reason.slice(0, 120)) ?? 0) + 1);
    for (const [reason, count] of reasons) lines.push(`- failed ×${count}: ${reason}`);
    if (l.lost.length) lines.push(`- lost ids (first 10): ${l.lost.slice(0, 10).join(', ')}`);
    if (l.duplicateCompletions.length)
      lines.push(`- completed twice (first 10): ${l.duplicateCompletions.slice(0, 10).join(', ')}`);
    lines.push('');
  }
  if (report.fuzz.length) {
    lines.push(
      '## Bad input (fast-check)',
      '',
      '| surface | cases | statuses | findings |',
      '| --- | --- | --- | --- |',
    );
    for (const s of report.fuzz)
      lines.push(
        `| ${s.surface} | ${s.cases} | ${Object.entries(s.statuses)
          .map(([k, v]) => `${k}: ${v}`)
          .join(', ')} | ${s.findings.length} |`,
      );
    lines.push('');
    for (const s of report.fuzz)
      for (const f of s.findings.slice(0, 10))
        lines.push(
          `- ${s.surface} ${f.operation} [${f.rule}]: ${f.detail.replace(/\n/g, ' ').slice(0, 200)} — input \`${f.input.replace(/`/g, "'").slice(0, 200)}\``,
        );
    lines.push('');
  }
  if (report.isolation) {
    const iso = report.isolation;
    lines.push(
      '## Isolation',
      '',
      '| route (tenant B key, tenant A object) | status | ok | detail |',
      '| --- | --- | --- | --- |',
    );
    for (const c of iso.cases)
      lines.push(`| ${c.route} | ${c.status} | ${c.ok ? 'yes' : 'NO'} | ${c.detail} |`);
    lines.push(
      '',
      `API keys in output: ${iso.keyLeaks.length} (${iso.linesScanned} lines of every process checked, /metrics of ${iso.metricsScanned} apps).`,
    );
    for (const leak of iso.keyLeaks.slice(0, 10)) lines.push(`- ${leak.where}: ${leak.excerpt}`);
    lines.push(
      '',
      'VRAM zero-on-free between tenants needs a real GPU: these runs use the CPU path; it is checked separately on the GPU machine.',
      '',
    );
  }
  if (report.soak) {
    const s = report.soak;
    lines.push('## Load and soak', '');
    lines.push(
      `${s.minutes} minutes; load jobs accepted ${fmt(s.jobsAcceptedPerS, 2)}/s; jobs of every kind succeeded (the load's and the stream's voxel.evidence jobs) ${fmt(s.jobsSucceededPerS, 2)}/s; frame-sets ${fmt(s.framesPerS, 2)}/s; updates received by the subscriber ${fmt(s.updatesReceivedPerS, 2)}/s. Errors: jobs ${s.errors.jobs}, admin ${s.errors.admin}, frames ${s.errors.frames}.`,
      '',
    );
    lines.push('| call | count | p50 ms | p99 ms | max ms |', '| --- | --- | --- | --- | --- |');
    for (const [name, l] of Object.entries(s.latencies))
      lines.push(`| ${name} | ${l.count} | ${fmt(l.p50)} | ${fmt(l.p99)} | ${fmt(l.max)} |`);
    lines.push(
      '',
      `RSS (MB, mean of the first and last tenth of the samples). Bounded: grew at most ${s.limits.totalMb} MB over the soak and at most ${s.limits.secondHalfMb} MB over its second half.`,
      '',
    );
    lines.push(
      '| process | start | end | growth | second-half growth | bounded |',
      '| --- | --- | --- | --- | --- | --- |',
    );
    for (const r of s.rss)
      lines.push(
        `| ${r.name} | ${fmt(r.startMb)} | ${fmt(r.endMb)} | ${fmt(r.growthMb)} | ${fmt(r.secondHalfGrowthMb)} | ${r.bounded ? 'yes' : 'NO'} |`,
      );
    lines.push('');
  }
  if (report.notes.length) {
    lines.push('## Notes', '');
    for (const n of report.notes) lines.push(`- ${n}`);
    lines.push('');
  }
  return lines.join('\n');
}
