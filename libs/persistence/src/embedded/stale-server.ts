import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmbeddedPostgresLog } from './postgres-process.js';

/**
 * A server of this cluster still running from an earlier start. When its parent is gone (the
 * stack was killed with SIGKILL, which it cannot catch) it is an orphan: stop it, so this start
 * can take the cluster. When its parent is a live process, another stack is using the same data
 * folder: refuse, naming it, rather than corrupt its cluster.
 */
export async function clearStaleServer(
  clusterDir: string,
  postgresBinary: string,
  log: EmbeddedPostgresLog,
): Promise<void> {
  const pid = lockHolder(clusterDir);
  if (pid === undefined || !alive(pid)) return;
  const cmdline = procText(pid, 'cmdline').replaceAll('\0', ' ');
  if (!cmdline.includes(postgresBinary) || !cmdline.includes(clusterDir)) return; // the pid was reused
  const parent = Number(/^PPid:\s+(\d+)/m.exec(procText(pid, 'status'))?.[1] ?? 0);
  const parentCmd = parent > 1 ? procText(parent, 'cmdline') : '';
  if (parentCmd.includes('node')) {
    throw new Error(
      `the embedded database in ${clusterDir} is in use by another running stack (process ${parent}); stop it or set DATA_DIR to another folder`,
    );
  }
  log.warn(
    `stopping a Postgres server (pid ${pid}) left running on ${clusterDir} by a stack that was killed`,
  );
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 15_000;
  while (alive(pid)) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGQUIT');
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  while (alive(pid)) await new Promise((resolve) => setTimeout(resolve, 100));
}

function lockHolder(clusterDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function procText(pid: number, file: string): string {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return '';
  }
}
