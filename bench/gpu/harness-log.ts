import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** Prints and appends to <outDir>/<name>.log, so the raw log survives beside the figures. */
export class HarnessLog {
  readonly file: string;
  failures = 0;

  constructor(outDir: string, name: string) {
    mkdirSync(outDir, { recursive: true });
    this.file = join(outDir, `${name}.log`);
  }

  line(s: string): void {
    console.log(s);
    appendFileSync(this.file, `${s}\n`);
  }

  check(name: string, ok: boolean, detail = ''): void {
    if (!ok) this.failures++;
    this.line(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`);
  }
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
}
