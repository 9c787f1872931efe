import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  /** A postgres:// URL the ordinary `pg` driver connects to. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Real Postgres compiled to WebAssembly (PGlite), persisted under `dataDir` and served on a
 * loopback port, so the same TypeORM/pg code paths run with no database server installed.
 * PGlite is one backend; the socket server multiplexes connections and keeps a transaction's
 * statements on the connection that opened it.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  port = 0,
  maxConnections = 32,
): Promise<EmbeddedPostgres> {
  mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port, maxConnections });
  await server.start();
  const address = server.getServerConn();
  return {
    url: `postgres://postgres@${address}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
