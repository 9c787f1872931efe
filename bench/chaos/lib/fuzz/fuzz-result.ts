/** One case that broke a rule, kept with what was sent so it can be replayed by hand. */
export interface FuzzFinding {
  surface: string;
  operation: string;
  rule: 'no-5xx' | 'no-crash' | 'no-change-on-refusal' | 'no-data-leak' | 'expected-refusal';
  detail: string;
  input: string;
}

export interface SurfaceResult {
  surface: string;
  cases: number;
  /** Status codes seen, e.g. { "400": 120, "201": 3 }. */
  statuses: Record<string, number>;
  findings: FuzzFinding[];
  /** Every case answered with a 5xx, and every refusal that changed a watched table (uncapped). */
  fiveXx: number;
  changedByRefusal: number;
}

export class SurfaceTally {
  readonly result: SurfaceResult;
  constructor(surface: string) {
    this.result = { surface, cases: 0, statuses: {}, findings: [], fiveXx: 0, changedByRefusal: 0 };
  }

  count(status: number | string): void {
    this.result.cases += 1;
    const key = String(status);
    this.result.statuses[key] = (this.result.statuses[key] ?? 0) + 1;
  }

  find(finding: Omit<FuzzFinding, 'surface'>): void {
    if (finding.rule === 'no-5xx') this.result.fiveXx += 1;
    if (finding.rule === 'no-change-on-refusal') this.result.changedByRefusal += 1;
    // Keep a sample, not thousands of copies of one bug.
    if (this.result.findings.length < 50)
      this.result.findings.push({
        surface: this.result.surface,
        ...finding,
        input: finding.input.slice(0, 600),
      });
  }
}
