import type { EntityManager } from 'typeorm';

export interface SigningKeyRecord {
  keyId: string;
  tenantId: string | null;
  publicKeyPem: string;
  createdAt: Date;
  revokedAt: Date | null;
}

/** A registered signed kernel. `manifest` is libs/cuda's KernelManifest as signed. */
export interface KernelRecord {
  id: string;
  tenantId: string | null;
  name: string;
  ptx: string;
  manifest: Record<string, unknown>;
  signature: string;
  ptxSha256: string;
  keyId: string;
  createdAt: Date;
  createdBy: string | null;
}

interface KeyRow {
  key_id: string;
  tenant_id: string | null;
  public_key_pem: string;
  created_at: Date;
  revoked_at: Date | null;
}

interface KernelRow {
  id: string;
  tenant_id: string | null;
  name: string;
  ptx: string;
  manifest: Record<string, unknown>;
  signature: string;
  ptx_sha256: string;
  key_id: string;
  created_at: Date;
  created_by: string | null;
}

const KERNEL_COLUMNS =
  'id, tenant_id, name, ptx, manifest, signature, ptx_sha256, key_id, created_at, created_by';

export async function findSigningKey(
  manager: EntityManager,
  keyId: string,
): Promise<SigningKeyRecord | null> {
  const rows: KeyRow[] = await manager.query(
    `SELECT key_id, tenant_id, public_key_pem, created_at, revoked_at FROM kernel_signing_keys WHERE key_id = $1`,
    [keyId],
  );
  return rows[0] ? toKey(rows[0]) : null;
}

export async function insertSigningKey(
  manager: EntityManager,
  key: { keyId: string; tenantId: string | null; publicKeyPem: string },
): Promise<SigningKeyRecord> {
  const rows: KeyRow[] = await manager.query(
    `INSERT INTO kernel_signing_keys (key_id, tenant_id, public_key_pem) VALUES ($1, $2, $3)
     RETURNING key_id, tenant_id, public_key_pem, created_at, revoked_at`,
    [key.keyId, key.tenantId, key.publicKeyPem],
  );
  return toKey(rows[0] as KeyRow);
}

/** Kernels of one tenant (or every tenant when null), without their PTX text. */
export async function listKernels(
  manager: EntityManager,
  tenantId: string | null,
): Promise<Omit<KernelRecord, 'ptx'>[]> {
  const rows: KernelRow[] = await manager.query(
    `SELECT ${KERNEL_COLUMNS.replace('ptx, ', '')}, '' AS ptx FROM kernels
      ${tenantId === null ? '' : 'WHERE tenant_id = $1'} ORDER BY created_at, id LIMIT 1000`,
    tenantId === null ? [] : [tenantId],
  );
  return rows.map((row) => {
    const { ptx: _ptx, ...rest } = toKernel(row);
    return rest;
  });
}

/** One kernel with its PTX and the public key that signed it (for building CustomKernelRef). */
export async function findKernel(
  manager: EntityManager,
  id: string,
): Promise<(KernelRecord & { publicKeyPem: string; keyRevoked: boolean }) | null> {
  const rows: (KernelRow & { public_key_pem: string; revoked_at: Date | null })[] = await manager.query(
    `SELECT k.id, k.tenant_id, k.name, k.ptx, k.manifest, k.signature, k.ptx_sha256, k.key_id, k.created_at,
            k.created_by, s.public_key_pem, s.revoked_at
       FROM kernels k JOIN kernel_signing_keys s ON s.key_id = k.key_id WHERE k.id = $1`,
    [id],
  );
  const row = rows[0];
  return row
    ? { ...toKernel(row), publicKeyPem: row.public_key_pem, keyRevoked: row.revoked_at !== null }
    : null;
}

export async function insertKernel(
  manager: EntityManager,
  kernel: Omit<KernelRecord, 'id' | 'createdAt'>,
): Promise<KernelRecord> {
  const rows: KernelRow[] = await manager.query(
    `INSERT INTO kernels (tenant_id, name, ptx, manifest, signature, ptx_sha256, key_id, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${KERNEL_COLUMNS}`,
    [
      kernel.tenantId,
      kernel.name,
      kernel.ptx,
      JSON.stringify(kernel.manifest),
      kernel.signature,
      kernel.ptxSha256,
      kernel.keyId,
      kernel.createdBy,
    ],
  );
  return toKernel(rows[0] as KernelRow);
}

function toKey(row: KeyRow): SigningKeyRecord {
  return {
    keyId: row.key_id,
    tenantId: row.tenant_id,
    publicKeyPem: row.public_key_pem,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

function toKernel(row: KernelRow): KernelRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    ptx: row.ptx,
    manifest: row.manifest,
    signature: row.signature,
    ptxSha256: row.ptx_sha256,
    keyId: row.key_id,
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}
