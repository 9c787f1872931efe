import { Inject, Injectable } from '@nestjs/common';
import { AuditWriter, auditDiffOf } from '@voxelfleet/audit';
import { AccessControl, type Permission, type RequestActor } from '@voxelfleet/auth';
import { loadTenantPolicies, type TrackingStreamState } from '@voxelfleet/persistence';
import { DATA_SOURCE, DomainError } from '@voxelfleet/platform';
import type { Georeference } from '@voxelfleet/voxel';
import type { DataSource, EntityManager } from 'typeorm';
import { auditOrigin, isUniqueViolation, isUuid } from '../common/actor-scope.js';
import { LiveHub } from '../live/live-hub.service.js';
import type { ReplayProgress } from '../live/track-events.js';
import { requireTenant, RigsService } from '../rigs/rigs.service.js';
import type { RuntimeStats, StreamRuntime } from '../runtime/stream-runtime.js';
import { StreamRuntimes } from '../runtime/stream-runtimes.service.js';
import { cotOutputFromDto, type CotOutput } from './cot-output.dto.js';
import { gridFromDto, streamParameters } from './stream-settings.js';
import type { CreateStreamDto, UpdateStreamDto } from './stream.dto.js';
import { streamsRepository, type StreamRecord } from './streams.repository.js';

export interface StreamView {
  id: string;
  tenantId: string;
  rigId: string;
  name: string;
  state: TrackingStreamState;
  grid: StreamRecord['grid'];
  parameters: StreamRecord['parameters'];
  cot: CotOutput | null;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  stoppedAt: string | null;
  /** Live state in this tracker process; null when it is not processing the stream. */
  live: RuntimeStats | null;
  replay: ReplayProgress | null;
}

type Action = 'start' | 'pause' | 'stop';

const TRANSITIONS: Record<Action, { from: TrackingStreamState[]; to: TrackingStreamState }> = {
  start: { from: ['created', 'paused'], to: 'running' },
  pause: { from: ['running'], to: 'paused' },
  stop: { from: ['created', 'running', 'paused'], to: 'stopped' },
};

/** Streams: a rig, a grid and parameters; start/pause/stop under the tenant's stream quota. */
@Injectable()
export class StreamsService {
  /** Replay progress by stream, for GET (set by the replay service). */
  readonly replays = new Map<string, ReplayProgress>();

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(AuditWriter) private readonly audit: AuditWriter,
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(RigsService) private readonly rigs: RigsService,
    @Inject(StreamRuntimes) private readonly runtimes: StreamRuntimes,
    @Inject(LiveHub) private readonly hub: LiveHub,
  ) {}

  async create(actor: RequestActor, dto: CreateStreamDto): Promise<StreamView> {
    const tenantId = requireTenant(actor);
    const grid = gridFromDto(dto.grid);
    const cotOutput = dto.cot ? cotOutputFromDto(dto.cot) : null;
    try {
      return await this.dataSource.transaction(async (manager) => {
        await this.requireFeature(manager, tenantId);
        const rig = await this.rigs.load(manager, actor, dto.rigId, 'read:rigs');
        const parameters = streamParameters(dto.parameters, rig.cameras.length);
        if (cotOutput) requireGeoreference(rig.georeference);
        const stream = await streamsRepository.insert(manager, {
          tenantId,
          rigId: rig.id,
          name: dto.name,
          grid,
          parameters,
          cotOutput,
          createdBy: actor.principal.id,
        });
        await this.audit.append(manager, {
          tenantId,
          ...auditOrigin(actor),
          action: 'stream.create',
          resource: { type: 'stream', id: stream.id },
          outcome: 'succeeded',
          diff: auditDiffOf(null, {
            name: stream.name,
            rigId: rig.id,
            grid: { ...grid },
            parameters: { ...parameters },
            cot: cotOutput && { ...cotOutput },
          }),
        });
        return this.view(stream);
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw new DomainError(409, 'conflict', `name: a stream named '${dto.name}' exists`);
      throw error;
    }
  }

  async list(actor: RequestActor): Promise<StreamView[]> {
    return (await streamsRepository.list(this.dataSource.manager, actor.principal.tenantId)).map((s) =>
      this.view(s),
    );
  }

  async get(actor: RequestActor, id: string): Promise<StreamView> {
    return this.view(await this.load(this.dataSource.manager, actor, id, 'read:streams'));
  }

  async update(actor: RequestActor, id: string, dto: UpdateStreamDto): Promise<StreamView> {
    const cotOutput = dto.cot === undefined ? undefined : dto.cot && cotOutputFromDto(dto.cot);
    try {
      return await this.dataSource.transaction(async (manager) => {
        const before = await this.load(manager, actor, id, 'write:streams', true);
        let parameters;
        if (dto.parameters) {
          if (before.state === 'running' || before.state === 'paused') {
            throw new DomainError(409, 'stream_active', 'parameters: stop the stream before changing them');
          }
          const rig = await this.rigs.load(manager, actor, before.rigId, 'read:rigs');
          parameters = streamParameters(dto.parameters, rig.cameras.length, before.parameters);
        }
        if (cotOutput !== undefined) {
          if (before.state === 'running' || before.state === 'paused') {
            throw new DomainError(
              409,
              'stream_active',
              'cot: stop the stream before changing its CoT output',
            );
          }
          if (cotOutput) {
            requireGeoreference(
              (await this.rigs.load(manager, actor, before.rigId, 'read:rigs')).georeference,
            );
          }
        }
        const after = await streamsRepository.update(manager, id, { name: dto.name, parameters, cotOutput });
        await this.audit.append(manager, {
          tenantId: before.tenantId,
          ...auditOrigin(actor),
          action: 'stream.update',
          resource: { type: 'stream', id },
          outcome: 'succeeded',
          diff: auditDiffOf(
            {
              name: before.name,
              parameters: { ...before.parameters },
              cot: before.cotOutput && { ...before.cotOutput },
            },
            {
              name: after.name,
              parameters: { ...after.parameters },
              cot: after.cotOutput && { ...after.cotOutput },
            },
          ),
        });
        return this.view(after);
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw new DomainError(409, 'conflict', `name: a stream named '${dto.name}' exists`);
      throw error;
    }
  }

  async remove(actor: RequestActor, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const stream = await this.load(manager, actor, id, 'write:streams', true);
      if (stream.state === 'running' || stream.state === 'paused') {
        throw new DomainError(409, 'stream_active', 'stop the stream before deleting it');
      }
      await streamsRepository.remove(manager, id);
      await this.audit.append(manager, {
        tenantId: stream.tenantId,
        ...auditOrigin(actor),
        action: 'stream.delete',
        resource: { type: 'stream', id },
        outcome: 'succeeded',
        diff: auditDiffOf({ name: stream.name, state: stream.state }, null),
      });
    });
    await this.runtimes.release(id);
    this.replays.delete(id);
  }

  async act(actor: RequestActor, id: string, action: Action): Promise<StreamView> {
    const { from, to } = TRANSITIONS[action];
    const stream = await this.dataSource.transaction(async (manager) => {
      const current = await this.load(manager, actor, id, 'write:streams', true);
      if (current.state === to) return current;
      if (!from.includes(current.state)) {
        throw new DomainError(409, 'invalid_state', `cannot ${action} a stream that is ${current.state}`);
      }
      if (action === 'start') await this.admitStart(manager, current);
      const moved = await streamsRepository.transition(manager, id, from, to);
      if (!moved) throw new DomainError(409, 'invalid_state', `the stream changed state; retry`);
      await this.audit.append(manager, {
        tenantId: current.tenantId,
        ...auditOrigin(actor),
        action: `stream.${action}`,
        resource: { type: 'stream', id },
        outcome: 'succeeded',
        diff: auditDiffOf({ state: current.state }, { state: moved.state }),
      });
      return moved;
    });
    if (stream.state === 'running') (await this.runtimes.ensure(stream)).accepting = true;
    else {
      const runtime = this.runtimes.get(id);
      if (runtime) runtime.accepting = false;
      if (stream.state === 'stopped') await this.runtimes.release(id);
    }
    this.hub.status({ streamId: id, state: stream.state, at: new Date().toISOString() });
    return this.view(stream);
  }

  runtimeOf(streamId: string): StreamRuntime | undefined {
    return this.runtimes.get(streamId);
  }

  /** Loads a stream and checks the caller may act on it (404 for another tenant's). */
  async load(
    manager: EntityManager,
    actor: RequestActor,
    id: string,
    permission: Permission,
    lock = false,
  ): Promise<StreamRecord> {
    const stream = isUuid(id) ? await streamsRepository.find(manager, id, lock) : null;
    await this.access.ensure(actor, permission, stream && { tenantId: stream.tenantId }, {
      type: 'stream',
      id,
    });
    return stream as StreamRecord;
  }

  view(stream: StreamRecord): StreamView {
    return {
      id: stream.id,
      tenantId: stream.tenantId,
      rigId: stream.rigId,
      name: stream.name,
      state: stream.state,
      grid: stream.grid,
      parameters: stream.parameters,
      cot: stream.cotOutput,
      createdAt: stream.createdAt.toISOString(),
      updatedAt: stream.updatedAt.toISOString(),
      startedAt: stream.startedAt?.toISOString() ?? null,
      stoppedAt: stream.stoppedAt?.toISOString() ?? null,
      live: this.runtimes.get(stream.id)?.snapshot() ?? null,
      replay: this.replays.get(stream.id) ?? null,
    };
  }

  private async requireFeature(manager: EntityManager, tenantId: string): Promise<void> {
    const [policy] = await loadTenantPolicies(manager, [tenantId]);
    if (!policy) throw new DomainError(404, 'not_found', `tenant ${tenantId} not found`);
    if (policy.suspended) throw new DomainError(403, 'tenant_suspended', 'the tenant is suspended');
    if (!policy.edition.features.trackingStreams) {
      throw new DomainError(
        403,
        'feature_disabled',
        `edition '${policy.edition.name}' does not include tracking streams`,
      );
    }
  }

  /** Quota: running and paused streams hold a slot; counted under a per-tenant lock. */
  private async admitStart(manager: EntityManager, stream: StreamRecord): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('voxelfleet:streams:' || $1))`, [
      stream.tenantId,
    ]);
    await this.requireFeature(manager, stream.tenantId);
    const [policy] = await loadTenantPolicies(manager, [stream.tenantId]);
    const limit = policy!.quota.trackingStreams;
    const active = await streamsRepository.countActive(manager, stream.tenantId, stream.id);
    if (active >= limit) {
      throw new DomainError(
        429,
        'quota_exceeded',
        `trackingStreams: ${active} of ${limit} streams already active; stop one first`,
      );
    }
  }
}

/** CoT points are WGS84: a stream can send them only from a rig placed on Earth. */
function requireGeoreference(georeference: Georeference | null): void {
  if (!georeference) {
    throw new DomainError(
      409,
      'rig_not_georeferenced',
      "cot: the stream's rig has no georeference; give the rig one first",
    );
  }
}
