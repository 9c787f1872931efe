import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';

export interface ProcessSpec {
  /** A short, unique name used in reports and log file names. */
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Run as this user and group (Postgres refuses to run as root). */
  uid?: number;
  gid?: number;
  /** Where stdout and stderr are copied, besides the in-memory line buffer. */
  logFile?: string;
}

/**
 * One child process the suite starts, kills, pauses and restarts. Every line it prints is
 * kept (the key-leak scan reads them all) and copied to its log file.
 */
export class ManagedProcess {
  readonly lines: string[] = [];
  private child?: ChildProcess;
  private exited?: Promise<number | null>;
  private log?: WriteStream;
  private pending = '';
  /** Every pid this process has had, restarts included. */
  readonly pids: number[] = [];
  /** Strings that must never be printed (API keys); each line is checked as it arrives. */
  needles: string[] = [];
  /** Lines that held a needle (with the needle masked). */
  readonly needleHits: string[] = [];
  linesSeen = 0;

  constructor(readonly spec: ProcessSpec) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  start(): void {
    if (this.running) throw new Error(`${this.spec.name} is already running`);
    if (this.spec.logFile && !this.log) this.log = createWriteStream(this.spec.logFile, { flags: 'a' });
    const options: SpawnOptions = {
      cwd: this.spec.cwd,
      env: { PATH: process.env.PATH, ...this.spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      uid: this.spec.uid,
      gid: this.spec.gid,
    };
    const child = spawn(this.spec.command, this.spec.args, options);
    this.child = child;
    if (child.pid !== undefined) this.pids.push(child.pid);
    const take = (chunk: string) => {
      this.log?.write(chunk);
      this.pending += chunk;
      const parts = this.pending.split('\n');
      this.pending = parts.pop() ?? '';
      for (const part of parts) {
        this.linesSeen += 1;
        const needle = this.needles.find((candidate) => part.includes(candidate));
        if (needle) this.needleHits.push(part.split(needle).join('<key>').slice(0, 300));
        this.lines.push(part);
      }
      // Long runs print a lot; keep the newest lines in memory, the file keeps everything.
      if (this.lines.length > 50_000) this.lines.splice(0, 25_000);
    };
    child.stdout?.setEncoding('utf8').on('data', take);
    child.stderr?.setEncoding('utf8').on('data', take);
    this.exited = new Promise((done) => child.once('exit', (code) => done(code)));
  }

  /** Lines printed since `mark` (a value of `linesSeen`), as far as they are still kept. */
  linesSince(mark: number): string[] {
    const count = this.linesSeen - mark;
    return count <= 0 ? [] : this.lines.slice(-count);
  }

  signal(signal: NodeJS.Signals): void {
    if (!this.child?.pid) throw new Error(`${this.spec.name} has no process`);
    process.kill(this.child.pid, signal);
  }

  /** Sends the signal and waits for the exit (SIGKILL after `graceMs`). */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<number | null> {
    if (!this.running || !this.exited) return this.child?.exitCode ?? null;
    const exited = this.exited;
    this.child?.kill(signal);
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), graceMs);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.stop('SIGKILL');
    await new Promise<void>((done) => (this.log ? this.log.end(done) : done()));
    this.log = undefined;
  }

  output(lastLines = 60): string {
    return this.lines.slice(-lastLines).join('\n');
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls until `probe` answers something other than undefined, or throws after `timeoutMs`. */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch {
      // not there yet
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}
