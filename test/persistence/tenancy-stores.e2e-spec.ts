import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  createDataSource,
  grantStore,
  migrateWithLock,
  principalStore,
  tenantScope,
  tenantStore,
  type PrincipalStore,
} from '@voxelfleet/persistence';
import type { DataSource } from 'typeorm';
import { createTestDatabase } from '../support/database.js';

/** The tenancy stores on real Postgres: a tenant's scope never reaches another tenant's rows. */
describe('principal and grant stores (real Postgres)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: DataSource;
  let store: PrincipalStore;
  let red: string;
  let blue: string;

  beforeAll(async () => {
    database = await createTestDatabase('tenancy_stores');
    db = createDataSource({ url: database.url, poolSize: 2 });
    await db.initialize();
    await migrateWithLock(db);
    store = principalStore(db.manager);
    const tenants = await db.query<{ id: string }[]>(
      `INSERT INTO tenants (name) VALUES ('red'), ('blue') RETURNING id`,
    );
    [red, blue] = tenants.map((row) => row.id) as [string, string];
  });
  afterAll(async () => {
    await db.destroy();
    await database.drop();
  });

  const principal = (tenantId: string | null, name: string) =>
    store.create({
      tenantId,
      kind: 'service',
      name,
      roles: tenantId ? ['tenant-member'] : ['platform-admin'],
    });
  const key = (owner: { id: string; tenantId: string | null }, prefix: string) =>
    store.addKey(owner, { prefix, keyHash: `hash-${prefix}`, label: prefix, expiresAt: null });

  it('finds, lists and changes principals only within the scope it is given', async () => {
    const [redOne, blueOne, root] = [
      await principal(red, 'r1'),
      await principal(blue, 'b1'),
      await principal(null, 'root'),
    ];
    const redScope = tenantScope(red);
    expect(await store.find(redScope, redOne.id)).toMatchObject({ id: redOne.id, tenantId: red });
    expect(await store.find(redScope, blueOne.id)).toBeNull();
    expect(await store.find(redScope, root.id)).toBeNull();
    expect(await store.find(redScope, 'not-a-uuid')).toBeNull();
    expect((await store.list(redScope)).map((p) => p.name)).toEqual(['r1']);
    // Every tenant's and the platform's, platform principals first.
    const all = (await store.list(tenantScope(null))).map((p) => p.name);
    expect(all[0]).toBe('root');
    expect(all.sort()).toEqual(['b1', 'r1', 'root']);
    expect(await store.setDisabled(redScope, blueOne.id, true)).toBeNull();
    expect((await store.find(tenantScope(blue), blueOne.id))?.disabledAt).toBeNull();
    expect((await store.setDisabled(redScope, redOne.id, true))?.disabledAt).toBeInstanceOf(Date);
    expect(await store.countPlatformPrincipalsWithRole('platform-admin')).toBe(1);
  });

  it("lists, finds and revokes keys through their principal's tenant, never showing a hash", async () => {
    const [redTwo, blueTwo] = [await principal(red, 'r2'), await principal(blue, 'b2')];
    const redKey = await key(redTwo, 'redkey0001');
    const blueKey = await key(blueTwo, 'bluekey001');
    const redScope = tenantScope(red);
    expect(redKey).toMatchObject({ principalId: redTwo.id, tenantId: red, revokedAt: null });
    expect(Object.keys(redKey)).not.toContain('keyHash');
    expect((await store.keysOf(redScope, redTwo.id)).map((k) => k.prefix)).toEqual(['redkey0001']);
    expect(await store.keysOf(redScope, blueTwo.id)).toEqual([]);
    expect(await store.findKey(redScope, blueKey.id)).toBeNull();
    expect(await store.revokeKey(redScope, blueKey.id)).toBeNull();
    expect((await store.findKey(tenantScope(null), blueKey.id))?.revokedAt).toBeNull();
    expect((await store.revokeKey(redScope, redKey.id))?.revokedAt).toBeInstanceOf(Date);
  });

  it('lists, finds and revokes GPU grants only within the scope it is given', async () => {
    const grants = grantStore(db.manager);
    const [redThree, blueThree] = [await principal(red, 'r3'), await principal(blue, 'b3')];
    const grant = (owner: { id: string; tenantId: string | null }) =>
      grants.insert({
        principalId: owner.id,
        tenantId: owner.tenantId,
        kernels: ['saxpy'],
        deviceClasses: ['*'],
        cpuFallback: false,
        expiresAt: null,
        createdBy: null,
      });
    const [redGrant, blueGrant] = [await grant(redThree), await grant(blueThree)];
    const redScope = tenantScope(red);
    expect((await grants.list(redScope)).map((g) => g.id)).toEqual([redGrant.id]);
    expect((await grants.list(tenantScope(null))).map((g) => g.id).sort()).toEqual(
      [redGrant.id, blueGrant.id].sort(),
    );
    expect(await grants.find(redScope, blueGrant.id)).toBeNull();
    expect(await grants.revoke(redScope, blueGrant.id, null)).toBeNull();
    expect((await grants.find(tenantScope(blue), blueGrant.id))?.revokedAt).toBeNull();
    expect((await grants.revoke(redScope, redGrant.id, null))?.revokedAt).toBeInstanceOf(Date);
    expect(await grants.revoke(redScope, redGrant.id, null)).toBeNull();
    expect(await grants.list(redScope)).toEqual([]);
    expect((await grants.list(redScope, { includeRevoked: true })).map((g) => g.id)).toEqual([redGrant.id]);
  });

  it('reads, changes and removes a tenant only within the scope it is given', async () => {
    const tenants = tenantStore(db.manager);
    const green = await tenants.create({
      name: 'green',
      edition: 'community',
      quota: { gpus: 1 },
      weight: 2,
      placement_policy: null,
    });
    const greenScope = tenantScope(green.id);
    expect((await tenants.list(greenScope)).map((t) => t.name)).toEqual(['green']);
    expect((await tenants.list(tenantScope(null))).map((t) => t.name).sort()).toEqual([
      'blue',
      'green',
      'red',
    ]);
    expect(await tenants.find(greenScope, red)).toBeNull();
    expect(await tenants.change(greenScope, red, { status: 'suspended' })).toBeNull();
    expect((await tenants.find(tenantScope(null), red))?.status).toBe('active');
    const changed = await tenants.change(greenScope, green.id, {
      quota: { gpus: 2 },
      placement_policy: null,
    });
    expect(changed).toMatchObject({ quota: { gpus: 2 }, weight: 2, placement_policy: null });
    expect(await tenants.remove(greenScope, red)).toBe(false);
    expect(await tenants.remove(greenScope, green.id)).toBe(true);
    expect(await tenants.find(tenantScope(null), green.id)).toBeNull();
  });
});
