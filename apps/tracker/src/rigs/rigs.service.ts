import { Inject, Injectable } from '@nestjs/common';
import { AuditWriter, auditDiffOf } from '@voxelfleet/audit';
import { AccessControl, type RequestActor } from '@voxelfleet/auth';
import type { StoredRigCamera } from '@voxelfleet/persistence';
import { DATA_SOURCE, DomainError } from '@voxelfleet/platform';
import type { Georeference } from '@voxelfleet/voxel';
import type { DataSource, EntityManager } from 'typeorm';
import { auditOrigin, isUniqueViolation, isUuid } from '../common/actor-scope.js';
import { camerasFromDto, camerasFromOriginalMetadata, storedCamera } from './rig-cameras.js';
import { georeferenceFromDto } from './georeference.dto.js';
import type { CreateRigDto, ImportRigDto, UpdateRigDto } from './rig.dto.js';
import { rigsRepository, type RigRecord } from './rigs.repository.js';

export interface RigView {
  id: string;
  tenantId: string;
  name: string;
  source: RigRecord['source'];
  cameras: StoredRigCamera[];
  georeference: Georeference | null;
  createdAt: string;
  updatedAt: string;
}

export function rigView(rig: RigRecord): RigView {
  return {
    id: rig.id,
    tenantId: rig.tenantId,
    name: rig.name,
    source: rig.source,
    cameras: rig.cameras,
    georeference: rig.georeference,
    createdAt: rig.createdAt.toISOString(),
    updatedAt: rig.updatedAt.toISOString(),
  };
}

/** Camera rigs of a tenant: created, imported, changed and deleted with an audit entry each. */
@Injectable()
export class RigsService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(AuditWriter) private readonly audit: AuditWriter,
    @Inject(AccessControl) private readonly access: AccessControl,
  ) {}

  create(actor: RequestActor, dto: CreateRigDto): Promise<RigView> {
    const cameras = camerasFromDto(dto.cameras).map(storedCamera);
    const georeference = dto.georeference ? georeferenceFromDto(dto.georeference) : null;
    return this.insert(actor, dto.name, cameras, georeference, 'api', 'rig.create');
  }

  import(actor: RequestActor, dto: ImportRigDto): Promise<RigView> {
    const cameras = camerasFromOriginalMetadata(dto.metadata, dto.resolution.width, dto.resolution.height);
    const georeference = dto.georeference ? georeferenceFromDto(dto.georeference) : null;
    return this.insert(
      actor,
      dto.name,
      cameras.map(storedCamera),
      georeference,
      'original-metadata',
      'rig.import',
    );
  }

  async list(actor: RequestActor): Promise<RigView[]> {
    return (await rigsRepository.list(this.dataSource.manager, actor.principal.tenantId)).map(rigView);
  }

  async get(actor: RequestActor, id: string): Promise<RigView> {
    return rigView(await this.load(this.dataSource.manager, actor, id, 'read:rigs'));
  }

  async update(actor: RequestActor, id: string, dto: UpdateRigDto): Promise<RigView> {
    const cameras = dto.cameras ? camerasFromDto(dto.cameras).map(storedCamera) : undefined;
    const georeference =
      dto.georeference === undefined ? undefined : dto.georeference && georeferenceFromDto(dto.georeference);
    try {
      return await this.dataSource.transaction(async (manager) => {
        const before = await this.load(manager, actor, id, 'write:rigs', true);
        if (cameras && (await rigsRepository.countStreams(manager, id)) > 0) {
          // Streams hold pipelines built from these cameras; a new rig is a new stream.
          throw new DomainError(
            409,
            'rig_in_use',
            'cameras: a rig used by streams cannot change its cameras',
          );
        }
        if (
          georeference !== undefined &&
          !sameGeoreference(before.georeference, georeference) &&
          (await rigsRepository.countStreams(manager, id)) > 0
        ) {
          // History is given in WGS84 through the rig's georeference: moving the rig under
          // recorded tracks would move them too. A re-surveyed rig is a new rig.
          throw new DomainError(
            409,
            'rig_in_use',
            'georeference: a rig used by streams cannot change its georeference',
          );
        }
        const after = await rigsRepository.update(manager, id, { name: dto.name, cameras, georeference });
        await this.audit.append(manager, {
          tenantId: before.tenantId,
          ...auditOrigin(actor),
          action: 'rig.update',
          resource: { type: 'rig', id },
          outcome: 'succeeded',
          diff: auditDiffOf(
            { name: before.name, cameras: before.cameras.length, georeference: before.georeference },
            { name: after.name, cameras: after.cameras.length, georeference: after.georeference },
          ),
        });
        return rigView(after);
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw new DomainError(409, 'conflict', `name: a rig named '${dto.name}' exists`);
      throw error;
    }
  }

  async remove(actor: RequestActor, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const rig = await this.load(manager, actor, id, 'write:rigs', true);
      if ((await rigsRepository.countStreams(manager, id)) > 0) {
        throw new DomainError(409, 'rig_in_use', 'the rig is used by streams; delete them first');
      }
      await rigsRepository.remove(manager, id);
      await this.audit.append(manager, {
        tenantId: rig.tenantId,
        ...auditOrigin(actor),
        action: 'rig.delete',
        resource: { type: 'rig', id },
        outcome: 'succeeded',
        diff: auditDiffOf({ name: rig.name }, null),
      });
    });
  }

  /** Loads a rig and checks the caller may act on it (404 for another tenant's). */
  async load(
    manager: EntityManager,
    actor: RequestActor,
    id: string,
    permission: 'read:rigs' | 'write:rigs',
    lock = false,
  ): Promise<RigRecord> {
    const rig = isUuid(id) ? await rigsRepository.find(manager, id, lock) : null;
    await this.access.ensure(actor, permission, rig && { tenantId: rig.tenantId }, { type: 'rig', id });
    return rig as RigRecord;
  }

  private async insert(
    actor: RequestActor,
    name: string,
    cameras: StoredRigCamera[],
    georeference: Georeference | null,
    source: RigRecord['source'],
    action: string,
  ): Promise<RigView> {
    const tenantId = requireTenant(actor);
    try {
      return await this.dataSource.transaction(async (manager) => {
        const rig = await rigsRepository.insert(manager, {
          tenantId,
          name,
          cameras,
          source,
          georeference,
          createdBy: actor.principal.id,
        });
        await this.audit.append(manager, {
          tenantId,
          ...auditOrigin(actor),
          action,
          resource: { type: 'rig', id: rig.id },
          outcome: 'succeeded',
          diff: auditDiffOf(null, { name, cameras: cameras.length, source, georeference }),
        });
        return rigView(rig);
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw new DomainError(409, 'conflict', `name: a rig named '${name}' exists`);
      throw error;
    }
  }
}

function sameGeoreference(a: Georeference | null, b: Georeference | null): boolean {
  if (a === null || b === null) return a === b;
  return (
    a.latitude === b.latitude &&
    a.longitude === b.longitude &&
    a.height === b.height &&
    a.frame === b.frame &&
    a.yawDeg === b.yawDeg
  );
}

/** Rigs and streams belong to a tenant: a platform principal reads them but does not own any. */
export function requireTenant(actor: RequestActor): string {
  const tenantId = actor.principal.tenantId;
  if (tenantId === null) {
    throw new DomainError(422, 'tenant_required', 'rigs and streams are created by a tenant principal');
  }
  return tenantId;
}
