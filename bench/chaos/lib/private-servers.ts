import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { ManagedProcess, sleep, waitUntil } from './managed-process.js';

/** The newest installed Postgres's binaries (/usr/lib/postgresql/<major>/bin). */
function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const majors = readdirSync(root)
    .filter((entry) => existsSync(join(root, entry, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  if (majors.length === 0) throw new Error(`no initdb under ${root}`);
  return join(root, majors[0] as string, 'bin');
}

/** Postgres refuses to run as root; under root the cluster belongs to the `postgres` user. */
function runAs(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

/**
 * A Postgres cluster of the suite's own, in a temporary folder on a private port, so a
 * restart hurts no one else. Runs `postgres` in the foreground as a child process, so a
 * restart is a real stop of the server (fast shutdown) and a fresh start.
 */
export class PrivatePostgres {
  readonly process: ManagedProcess;
  private constructor(
    readonly dir: string,
    readonly port: number,
    logDir: string,
  ) {
    const owner = runAs();
    this.process = new ManagedProcess({
      name: 'postgres',
      command: join(postgresBin(), 'postgres'),
      args: ['-D', join(dir, 'data'), '-p', String(port), '-k', dir, '-h', '127.0.0.1', '-c', 'fsync=off'],
      ...owner,
      logFile: join(logDir, 'postgres.log'),
    });
  }

  static async create(dir: string, port: number, logDir: string): Promise<PrivatePostgres> {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const owner = runAs();
    if (owner.uid !== undefined && owner.gid !== undefined) chownSync(dir, owner.uid, owner.gid);
    execFileSync(
      join(postgresBin(), 'initdb'),
      ['-D', join(dir, 'data'), '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8'],
      { ...owner, stdio: 'pipe' },
    );
    const server = new PrivatePostgres(dir, port, logDir);
    await server.start();
    return server;
  }

  adminUrl(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async start(): Promise<void> {
    this.process.start();
    await waitUntil(
      'postgres to accept connections',
      async () => {
        const client = new pg.Client({ connectionString: this.adminUrl() });
        await client.connect();
        await client.end();
        return true;
      },
      30_000,
    );
  }

  /** A fast shutdown (clients are disconnected), as an operator's restart does. */
  async restart(downMs = 0): Promise<void> {
    await this.process.stop('SIGINT');
    await sleep(downMs);
    await this.start();
  }

  async createDatabase(name: string): Promise<string> {
    const client = new pg.Client({ connectionString: this.adminUrl() });
    await client.connect();
    await client.query(`CREATE DATABASE ${name}`);
    await client.end();
    return this.adminUrl(name);
  }

  async destroy(): Promise<void> {
    await this.process.stop('SIGINT');
    await this.process.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * A redis-server of the suite's own on a private port, with an append-only file so a restart
 * keeps the queues, as a production Redis is configured.
 */
export class PrivateRedis {
  readonly process: ManagedProcess;
  constructor(
    readonly dir: string,
    readonly port: number,
    logDir: string,
  ) {
    this.process = new ManagedProcess({
      name: 'redis',
      command: 'redis-server',
      args: [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'everysec',
        '--save',
        '',
        '--maxmemory-policy',
        'noeviction',
      ],
      logFile: join(logDir, 'redis.log'),
    });
  }

  static async create(dir: string, port: number, logDir: string): Promise<PrivateRedis> {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const server = new PrivateRedis(dir, port, logDir);
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const from = this.process.lines.length;
    this.process.start();
    await waitUntil(
      'redis to answer',
      () =>
        Promise.resolve(
          this.process.lines.slice(from).some((line) => /Ready to accept connections/.test(line)) ||
            undefined,
        ),
      15_000,
      50,
    );
  }

  /** SIGTERM (Redis writes its append-only file and exits), then a fresh start on the same data. */
  async restart(downMs = 0): Promise<void> {
    await this.process.stop('SIGTERM');
    await sleep(downMs);
    await this.start();
  }

  async destroy(): Promise<void> {
    await this.process.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
