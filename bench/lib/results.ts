import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, hostname, totalmem } from 'node:os';
import { resolve } from 'node:path';

/** The benchmark result format every `npm run bench:<name>` writes. */
export interface BenchResult {
  name: string;
  date: string;
  machine: string;
  figures: Record<string, number>;
}

const RESULTS_DIR = resolve(import.meta.dirname, '../../../bench/results');

export function describeMachine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `${hostname()}: ${cpus().length} x ${cpu.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`;
}

/** Prints the figures as a table and writes bench/results/<name>-latest.json. */
export function reportBench(
  name: string,
  figures: Record<string, number>,
  machine = describeMachine(),
): BenchResult {
  for (const [key, value] of Object.entries(figures)) {
    if (!Number.isFinite(value)) throw new Error(`figure ${key} is not a finite number: ${value}`);
  }
  const result: BenchResult = { name, date: new Date().toISOString(), machine, figures };
  const width = Math.max(...Object.keys(figures).map((key) => key.length));
  process.stdout.write(`\n${name} on ${machine}\n`);
  for (const [key, value] of Object.entries(figures)) {
    process.stdout.write(`  ${key.padEnd(width)}  ${formatFigure(value)}\n`);
  }
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = resolve(RESULTS_DIR, `${name}-latest.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`  -> ${file}\n`);
  return result;
}

/** Percentile of an ascending-sorted sample (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

function formatFigure(value: number): string {
  return Math.abs(value) >= 1000 ? value.toFixed(0) : value.toPrecision(4);
}
