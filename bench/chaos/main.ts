import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { reportBench } from '../lib/index.js';
import { chaosFigures, chaosMarkdown, type ChaosReport } from './lib/chaos-report.js';
import { REPO_ROOT } from './lib/chaos-stack.js';
import { runChaos, type ChaosPart } from './lib/run-chaos.js';

const PARTS: ChaosPart[] = ['faults', 'fuzz', 'isolation', 'soak'];

const { values } = parseArgs({
  options: {
    only: { type: 'string', default: PARTS.join(',') },
    'soak-minutes': { type: 'string', default: '30' },
    faults: { type: 'string' },
    'fuzz-cases': { type: 'string', default: '40' },
    'fuzz-surface-cases': { type: 'string', default: '400' },
    'hostile-cases': { type: 'string' },
    'jobs-per-second': { type: 'string', default: '4' },
    seed: { type: 'string', default: '20261121' },
    'app-port': { type: 'string', default: '5300' },
    'postgres-port': { type: 'string', default: '5440' },
    'redis-port': { type: 'string', default: '6390' },
    render: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  process.stdout.write(`npm run chaos -- [options]
  --only faults,fuzz,isolation,soak   parts to run (default: all)
  --soak-minutes N                    soak length (default 30)
  --faults a,b                        fault names (default: all six)
  --fuzz-cases N                      generated cases per REST operation (default 40)
  --fuzz-surface-cases N              cases per other surface: frames, metadata, kernels, socket.io (default 400)
  --hostile-cases N                   hostile-bytes requests per app, a seeded pick (default: every one)
  --jobs-per-second N                 steady job load (default 4)
  --seed N                            fast-check seed
  --app-port / --postgres-port / --redis-port   private ports (5300-5306, 5440, 6390)
  --render <chaos-report.json>        write the markdown and chaos-latest.json of a saved run again
`);
  process.exit(0);
}

// Re-renders a saved report (the JSON a run leaves beside its logs) with this version's
// markdown, without running anything.
if (values.render) {
  const saved = JSON.parse(readFileSync(values.render, 'utf8')) as ChaosReport;
  writeReport(saved);
  process.exit(0);
}

const parts = values.only.split(',').map((p) => p.trim()) as ChaosPart[];
for (const part of parts)
  if (!PARTS.includes(part)) throw new Error(`--only: unknown part ${part} (one of ${PARTS.join(', ')})`);
const workDir = join(tmpdir(), `voxelfleet-chaos-${process.pid}`);
mkdirSync(workDir, { recursive: true });
const log = (line: string) => process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
log(`logs of every process under ${workDir}/logs`);

const report = await runChaos({
  parts,
  ports: {
    appBase: Number(values['app-port']),
    postgres: Number(values['postgres-port']),
    redis: Number(values['redis-port']),
  },
  workDir,
  faults: values.faults?.split(','),
  soakMinutes: Number(values['soak-minutes']),
  fuzzCasesPerOperation: Number(values['fuzz-cases']),
  fuzzCasesPerSurface: Number(values['fuzz-surface-cases']),
  ...(values['hostile-cases'] === undefined ? {} : { hostileCasesPerApp: Number(values['hostile-cases']) }),
  jobsPerSecond: Number(values['jobs-per-second']),
  adminCallsPerSecond: 4,
  frameFps: 5,
  nodeLostAfterMs: 3_000,
  seed: Number(values.seed),
  rssLimits: { totalMb: 64, secondHalfMb: 16 },
  log,
});

writeFileSync(join(workDir, 'chaos-report.json'), `${JSON.stringify(report, null, 2)}\n`);
writeReport(report);
log(`full detail: ${join(workDir, 'chaos-report.json')}`);

function writeReport(result: ChaosReport): void {
  const resultsDir = resolve(REPO_ROOT, 'bench/results');
  const date = result.startedAt.slice(0, 10);
  writeFileSync(join(resultsDir, `chaos-${date}.md`), chaosMarkdown(result));
  const bench = reportBench('chaos', chaosFigures(result), result.machine);
  // The figures belong to the run, not to the moment they were written.
  writeFileSync(
    join(resultsDir, 'chaos-latest.json'),
    `${JSON.stringify({ ...bench, date: result.finishedAt }, null, 2)}\n`,
  );
  process.stdout.write(`report: bench/results/chaos-${date}.md\n`);
}
