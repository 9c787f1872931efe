import type { DetectionKind, Runbook } from './runbook.types.js';

/** One detection step of a runbook, for a tool that follows them in order and reports each. */
export interface DetectionStep {
  readonly runbook: string;
  readonly kind: DetectionKind;
  /** What the step looks at, as the page writes it: `metric voxelfleet_fleet_nodes{state="lost"}`. */
  readonly label: string;
  readonly line: number;
}

/** A runbook's detection items as one list, in the order the page lists them. */
export function detectionSteps(runbook: Runbook): DetectionStep[] {
  const steps: Omit<DetectionStep, 'runbook'>[] = [
    ...runbook.alerts.map((a) => ({ kind: 'alert' as const, label: `alert ${a.name}`, line: a.line })),
    ...runbook.metrics.map((m) => ({ kind: 'metric' as const, label: `metric ${m.selector}`, line: m.line })),
    ...runbook.logs.map((l) => ({
      kind: 'log' as const,
      label: `log ${l.text}${l.service ? ` (${l.service})` : ''}`,
      line: l.line,
    })),
    ...runbook.endpoints.map((e) => ({
      kind: 'endpoint' as const,
      label: `endpoint ${e.method} ${e.path}`,
      line: e.line,
    })),
  ];
  return steps.sort((a, b) => a.line - b.line).map((step) => ({ runbook: runbook.id, ...step }));
}
