import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

/** A built entry point (dist/...) running as its own process, as it would in production. */
export class SpawnedApp {
  readonly lines: string[] = [];
  readonly stderr: string[] = [];
  private readonly exited: Promise<number | null>;

  private constructor(readonly child: ChildProcess) {
    let pending = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      this.lines.push(...parts);
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => this.stderr.push(chunk));
    this.exited = new Promise((done) => child.once('exit', (code) => done(code)));
  }

  static start(entry: string, env: Record<string, string | undefined>): SpawnedApp {
    return SpawnedApp.startWithArgs(entry, [], env);
  }

  static startWithArgs(entry: string, args: string[], env: Record<string, string | undefined>): SpawnedApp {
    // A gateway keeps its audit signing key and checkpoint journal in files (default .data/ of
    // the working folder). Each process gets its own unless the test names them, so no suite
    // verifies its database against another suite's checkpoints.
    const audit = mkdtempSync(join(tmpdir(), 'vf-e2e-audit-'));
    const child = spawn(process.execPath, [resolve(ROOT, entry), ...args], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        AUDIT_SIGNING_KEY_FILE: join(audit, 'audit-signing-key.pem'),
        AUDIT_CHECKPOINT_JOURNAL: join(audit, 'audit-checkpoints.json'),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new SpawnedApp(child);
  }

  async waitForLine(pattern: RegExp, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = this.lines.find((candidate) => pattern.test(candidate));
      if (line) return line;
      if (this.child.exitCode !== null) {
        throw new Error(
          `process exited (${this.child.exitCode}) before printing ${pattern}: ${this.stderr.join('')}`,
        );
      }
      if (Date.now() > deadline)
        throw new Error(`no line matching ${pattern} within ${timeoutMs} ms:\n${this.output()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** JSON log lines parsed; plain lines are skipped. */
  logs(): Record<string, unknown>[] {
    return this.lines.flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  }

  output(): string {
    return `${this.lines.join('\n')}\n${this.stderr.join('')}`;
  }

  exitCode(): Promise<number | null> {
    return this.exited;
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.child.exitCode === null) this.child.kill(signal);
    return this.exited;
  }
}
