import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The account the Postgres server runs as: undefined means this process's own. */
export interface ServerAccount {
  uid: number;
  gid: number;
  name: string;
}

/**
 * Postgres refuses to run as root. Started as root (containers, CI), the server runs as the
 * system's `postgres` account when there is one, else as a `voxelfleet-db` system account made
 * for it; as anyone else it runs as that user.
 */
export async function serverAccount(log: (message: string) => void): Promise<ServerAccount | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ['postgres', 'voxelfleet-db']) {
    const found = await lookup(name);
    if (found) return found;
  }
  log('running as root: creating the system account voxelfleet-db for the embedded Postgres server');
  await run('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'voxelfleet-db']);
  const created = await lookup('voxelfleet-db');
  if (!created) throw new Error('could not create a system account for the embedded Postgres server');
  return created;
}

async function lookup(name: string): Promise<ServerAccount | undefined> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()), name };
  } catch {
    return undefined;
  }
}
