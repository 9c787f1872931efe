import { createPublicKey, type KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AuditWriter, auditDiffOf } from '@voxelfleet/audit';
import { AccessControl, notFound, type RequestActor } from '@voxelfleet/auth';
import { KernelRejectedError, verifyKernel } from '@voxelfleet/cuda';
import {
  findSigningKey,
  insertKernel,
  insertSigningKey,
  listKernels,
  loadTenantPolicies,
  type KernelRecord,
} from '@voxelfleet/persistence';
import { DATA_SOURCE, DomainError } from '@voxelfleet/platform';
import type { DataSource } from 'typeorm';
import { auditOrigin, isUniqueViolation, tenantScopeOf } from '../common/actor-scope.js';
import type { RegisterKernelDto } from './kernel.dto.js';

export type KernelView = Omit<KernelRecord, 'ptx' | 'createdAt'> & { createdAt: string };

/**
 * The signed kernel registry. A kernel is accepted only when its Ed25519 signature verifies
 * with the key it names (the same libs/cuda check a node runs before loading it), its PTX
 * matches the signed hash, and its tenant's edition includes signed custom kernels.
 * Refusals answer 4xx and are audited.
 */
@Injectable()
export class KernelsService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(AuditWriter) private readonly audit: AuditWriter,
    @Inject(AccessControl) private readonly access: AccessControl,
  ) {}

  async list(actor: RequestActor): Promise<KernelView[]> {
    const kernels = await listKernels(this.dataSource.manager, tenantScopeOf(actor));
    return kernels.map((k) => ({ ...k, createdAt: k.createdAt.toISOString() }));
  }

  async register(actor: RequestActor, dto: RegisterKernelDto): Promise<KernelView> {
    const tenantId = dto.tenantId ?? null;
    const resource = { type: 'kernel', id: dto.manifest.name };
    const refuse = (status: number, code: string, message: string) =>
      this.access.deny(actor, 'register:kernels', resource, new DomainError(status, code, message), tenantId);
    if (tenantId !== null) {
      const [policy] = await loadTenantPolicies(this.dataSource.manager, [tenantId]);
      if (policy === undefined) throw notFound('tenant', tenantId);
      if (!policy.edition.features.signedCustomKernels) {
        await refuse(
          422,
          'feature_disabled',
          `edition '${policy.edition.name}' does not include signed custom kernels`,
        );
      }
    }
    let publicKey: KeyObject;
    try {
      publicKey = createPublicKey(dto.publicKeyPem);
    } catch {
      return refuse(400, 'bad_request', 'publicKeyPem: not a readable SPKI PEM public key');
    }
    if (publicKey.asymmetricKeyType !== 'ed25519') {
      return refuse(
        400,
        'bad_request',
        `publicKeyPem: expected an ed25519 key, got ${publicKey.asymmetricKeyType}`,
      );
    }
    const manifest = { ...dto.manifest };
    let ptxSha256: string;
    try {
      ptxSha256 = verifyKernel(
        { ptx: dto.ptx, manifest, signature: dto.signature },
        new Map([[manifest.keyId, publicKey]]),
      );
    } catch (error) {
      if (error instanceof KernelRejectedError)
        return refuse(422, 'kernel_rejected', `${error.code}: ${error.message}`);
      throw error;
    }
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    try {
      const kernel = await this.dataSource.transaction(async (manager) => {
        const existing = await findSigningKey(manager, manifest.keyId);
        if (existing === null) {
          await insertSigningKey(manager, { keyId: manifest.keyId, tenantId, publicKeyPem: pem });
        } else if (existing.revokedAt !== null) {
          throw new DomainError(422, 'kernel_rejected', `key ${manifest.keyId} is revoked`);
        } else if (existing.publicKeyPem.trim() !== pem.trim() || existing.tenantId !== tenantId) {
          throw new DomainError(409, 'conflict', `key id ${manifest.keyId} is registered with another key`);
        }
        const created = await insertKernel(manager, {
          tenantId,
          name: manifest.name,
          ptx: dto.ptx,
          manifest: { ...manifest },
          signature: dto.signature,
          ptxSha256,
          keyId: manifest.keyId,
          createdBy: actor.principal.id,
        });
        await this.audit.append(manager, {
          tenantId,
          ...auditOrigin(actor),
          action: 'kernel.register',
          resource: { type: 'kernel', id: created.id },
          outcome: 'succeeded',
          diff: auditDiffOf(null, {
            name: created.name,
            keyId: created.keyId,
            ptxSha256,
            entry: manifest.entry,
          }),
        });
        return created;
      });
      const { ptx: _ptx, ...rest } = kernel;
      return { ...rest, createdAt: kernel.createdAt.toISOString() };
    } catch (error) {
      if (isUniqueViolation(error)) {
        return refuse(409, 'conflict', `kernel '${manifest.name}' is already registered for this tenant`);
      }
      if (error instanceof DomainError) return refuse(error.status, error.code, error.message);
      throw error;
    }
  }
}
