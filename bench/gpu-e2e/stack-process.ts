import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** The bundled stack as a user starts it: `node main.js`, embedded defaults, no paths set. */
export interface RunningStack {
  gateway: string;
  tracker: string;
  gpuNode: string;
  adminKey: string;
  /** Lines the stack wrote to stderr (warnings and errors), for the report. */
  problems: string[];
  startedInMs: number;
  stop(): Promise<number | null>;
}

/** A platform-admin key in the shape BOOTSTRAP_ADMIN_KEY takes, so the driver knows it. */
function adminKey(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const prefix = Array.from(randomBytes(10), (b) => alphabet[b % alphabet.length]).join('');
  return `vf_${prefix}_${randomBytes(32).toString('base64url')}`;
}

/**
 * Starts `node <bundle>/main.js` with a fresh DATA_DIR and waits for its "Voxelfleet is
 * running" banner, reading each app's URL from it. Everything else is the stack's default.
 */
export async function startStack(
  mainJs: string,
  extraEnv: Record<string, string> = {},
): Promise<RunningStack> {
  const key = adminKey();
  const dataDir = mkdtempSync(join(tmpdir(), 'voxelfleet-gpu-e2e-'));
  const started = Date.now();
  const child: ChildProcess = spawn(process.execPath, [mainJs], {
    env: { ...process.env, DATA_DIR: dataDir, BOOTSTRAP_ADMIN_KEY: key, LOG_LEVEL: 'warn', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const problems: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => {
    problems.push(line.slice(0, 2000));
    process.stderr.write(`[stack] ${line.slice(0, 500)}\n`);
  });
  const urls = await new Promise<Record<string, string>>((resolve, reject) => {
    const found: Record<string, string> = {};
    const timer = setTimeout(() => reject(new Error('the stack did not start within 180 s')), 180_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(
        new Error(`the stack exited with ${code} before it was ready: ${problems.slice(-5).join(' | ')}`),
      );
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      process.stdout.write(`[stack] ${line}\n`);
      const match = /^\s+(gateway|scheduler|gpu-node|tracker)\s+(http:\/\/\S+)/.exec(line);
      if (match) found[match[1]!] = match[2]!;
      if (found.gateway && found.tracker && found['gpu-node']) {
        clearTimeout(timer);
        resolve(found);
      }
    });
  });
  return {
    gateway: urls.gateway!,
    tracker: urls.tracker!,
    gpuNode: urls['gpu-node']!,
    adminKey: key,
    problems,
    startedInMs: Date.now() - started,
    stop: () =>
      new Promise((resolve) => {
        child.removeAllListeners('exit');
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}
