import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { ServerAccount } from './server-account.js';

/** The few log calls the supervisor makes; a pino logger fits. */
export interface EmbeddedPostgresLog {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/**
 * Runs one of the Postgres binaries as `account` (or this user) with a C locale, forwarding
 * its output line by line. Server messages are mapped to our levels: routine LOG lines to
 * debug, a client's ERROR or FATAL (a constraint the code handles, a connection cut at
 * shutdown) to info, WARNING to warn, PANIC to error.
 */
export function spawnPostgresBinary(
  binary: string,
  args: string[],
  account: ServerAccount | undefined,
  log: EmbeddedPostgresLog,
): ChildProcess {
  const child = spawn(binary, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    // A process group of its own: Ctrl-C in a terminal signals the whole foreground group, and
    // the server must outlive the apps' graceful drain; the stack stops it last.
    detached: true,
    env: { PATH: process.env.PATH, LC_ALL: 'C', LANG: 'C', TZ: 'UTC' },
    ...(account ? { uid: account.uid, gid: account.gid } : {}),
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', (line) => forward(line, log));
  }
  return child;
}

function forward(line: string, log: EmbeddedPostgresLog): void {
  const text = `postgres: ${line}`;
  if (/\bPANIC:/.test(line)) log.error(text);
  else if (/\bWARNING:/.test(line)) log.warn(text);
  else if (/\b(ERROR|FATAL):/.test(line)) log.info(text);
  else log.debug(text);
}

/** Resolves with the exit code; a spawn failure (missing binary, no permission) rejects. */
export function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.once('error', reject);
  });
}
