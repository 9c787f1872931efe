import { readdirSync, readFileSync } from 'node:fs';

/** Memory of a process and every process below it, from /proc (Linux). */
export interface TreeMemory {
  /** Resident set of the root process alone, MiB. */
  rootRssMb: number;
  /**
   * Proportional set size of the whole tree, MiB: each shared page (Postgres's shared buffers,
   * libraries) split between the processes that map it, so the sum is what the tree costs.
   */
  treePssMb: number;
  /** Resident sets added up over the tree: shared pages counted once per process (an upper bound). */
  treeRssSumMb: number;
  processes: number;
}

export function treeMemory(rootPid: number): TreeMemory {
  const pids = [rootPid, ...descendants(rootPid)];
  const pss = pids.reduce((sum, pid) => sum + kib(`/proc/${pid}/smaps_rollup`, 'Pss'), 0);
  const rss = pids.reduce((sum, pid) => sum + kib(`/proc/${pid}/status`, 'VmRSS'), 0);
  return {
    rootRssMb: kib(`/proc/${rootPid}/status`, 'VmRSS') / 1024,
    treePssMb: pss / 1024,
    treeRssSumMb: rss / 1024,
    processes: pids.length,
  };
}

function descendants(rootPid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name (field 2) may hold spaces and parentheses: read past its last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parentOf.set(Number(entry), Number(fields[1]));
    } catch {
      // the process ended while we looked
    }
  }
  const found: number[] = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    const parent = queue.shift();
    for (const [pid, ppid] of parentOf) {
      if (ppid === parent) {
        found.push(pid);
        queue.push(pid);
      }
    }
  }
  return found;
}

function kib(file: string, field: string): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(file, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}
