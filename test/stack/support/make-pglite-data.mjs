// Writes a PGlite database as an earlier release's `npm start` left it: the schema from the
// built migrations, then a tenant, a platform-admin principal and its API key (hash and prefix
// given). Run in its own process: PGlite's WebAssembly runtime keeps handles that would hold
// the test runner open. Usage: node make-pglite-data.mjs <dir> <prefix> <hash>; prints the tenant id.
import { resolve } from 'node:path';
import process from 'node:process';
import { PGlite } from '@electric-sql/pglite';

const [dir, prefix, hash] = process.argv.slice(2);
const { MIGRATIONS } = await import(resolve(import.meta.dirname, '../../../dist/migrations/index.js'));
const db = await PGlite.create(dir);
// Migrations call query() as TypeORM's runner has it: rows back; several statements at once.
const runner = {
  async query(sql, params = []) {
    try {
      return (await db.query(sql, params)).rows;
    } catch (error) {
      if (params.length > 0) throw error;
      await db.exec(sql);
      return [];
    }
  },
};
for (const Migration of MIGRATIONS) await new Migration().up(runner);
const tenant = await db.query(`INSERT INTO tenants (name, edition) VALUES ('legacy-co', 'pro') RETURNING id`);
const principal = await db.query(
  `INSERT INTO principals (tenant_id, kind, name, roles) VALUES (NULL, 'user', 'old-admin', '{platform-admin}') RETURNING id`,
);
await db.query(`INSERT INTO api_keys (principal_id, prefix, key_hash, label) VALUES ($1, $2, $3, 'old')`, [
  principal.rows[0].id,
  prefix,
  hash,
]);
await db.close();
process.stdout.write(`${tenant.rows[0].id}\n`);
