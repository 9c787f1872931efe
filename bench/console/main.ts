import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { percentile, reportBench } from '../lib/results.js';
import type { PhaseResult } from './phase-result.js';

/**
 * bench:console: the console's live 3D view in headless Chromium (software WebGL on this
 * machine), 50 synthetic tracks at 30 updates/s against an idle baseline. In both phases the
 * camera orbits, so every animation frame renders; the difference is the cost of the tracks
 * (message parsing, ingest, per-frame instance and trail updates, labels).
 */

const ROOT = resolve(import.meta.dirname, '../../..');
const OUT = resolve(ROOT, 'dist/bench-console');
const PORT = Number(process.env.BENCH_PORT ?? 5150);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const TRACKS = 50;
const UPDATES_PER_S = 30;
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

async function main(): Promise<void> {
  await build({
    root: resolve(ROOT, 'bench/console/page'),
    base: './',
    logLevel: 'warn',
    build: { outDir: OUT, emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  });
  const server = await serve(OUT);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`http://127.0.0.1:${PORT}/index.html`);
    await page.waitForFunction('window.bench !== undefined');
    const run = (seconds: number, tracks: number, rate: number) =>
      page.evaluate<PhaseResult>(`window.bench.run(${seconds}, ${tracks}, ${rate})`);
    await run(2, 0, 0); // warm-up: shader compilation, first layout
    const idle = await run(SECONDS, 0, 0);
    const load = await run(SECONDS, TRACKS, UPDATES_PER_S);
    if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
    if (load.tracksDrawn !== TRACKS)
      throw new Error(`expected ${TRACKS} tracks drawn, saw ${load.tracksDrawn}`);

    // The display's refresh interval, from the idle run; a longer gap dropped frames.
    const refresh = percentile(
      [...idle.intervals].sort((a, b) => a - b),
      50,
    );
    const dropped = (intervals: number[]) =>
      intervals.reduce((sum, gap) => sum + Math.max(0, Math.round(gap / refresh) - 1), 0);
    const figures = (phase: PhaseResult, prefix: string) => {
      const sorted = [...phase.intervals].sort((a, b) => a - b);
      return {
        [`${prefix}_frame_ms_p50`]: percentile(sorted, 50),
        [`${prefix}_frame_ms_p99`]: percentile(sorted, 99),
        [`${prefix}_dropped_frames`]: dropped(phase.intervals),
        [`${prefix}_animation_frames`]: phase.intervals.length,
        [`${prefix}_renders_per_s`]: phase.framesRendered / SECONDS,
      };
    };
    const idleFigures = figures(idle, 'idle');
    const loadFigures = figures(load, 'load');
    reportBench('console', {
      tracks: TRACKS,
      updates_per_s_target: UPDATES_PER_S,
      updates_per_s_ingested: load.updatesIngested / SECONDS,
      seconds_per_phase: SECONDS,
      ...idleFigures,
      ...loadFigures,
      p99_ratio_load_vs_idle: loadFigures['load_frame_ms_p99']! / idleFigures['idle_frame_ms_p99']!,
      dropped_frames_added_by_load: loadFigures['load_dropped_frames']! - idleFigures['idle_dropped_frames']!,
      trail_vertices_drawn: load.trailVertices,
    });
  } finally {
    await browser.close();
    await new Promise((done) => server.close(done));
  }
}

function serve(dir: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://bench').pathname;
    const file = resolve(dir, `.${path}`);
    if (!file.startsWith(dir)) {
      res.writeHead(404).end();
      return;
    }
    readFile(file).then(
      (body) =>
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  return new Promise((ready) => server.listen(PORT, '127.0.0.1', () => ready(server)));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
