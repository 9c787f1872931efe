import { Inject, Injectable } from '@nestjs/common';
import { AuditWriter, auditDiffOf } from '@voxelfleet/audit';
import type { RequestActor } from '@voxelfleet/auth';
import { DATA_SOURCE } from '@voxelfleet/platform';
import type { DataSource } from 'typeorm';
import { auditOrigin } from '../common/actor-scope.js';
import { StreamRuntimes } from '../runtime/stream-runtimes.service.js';
import { StreamsService, type StreamView } from './streams.service.js';

/**
 * Starts a stream's time over: the frame-sets already queued are processed, then its
 * runtime (frame time, background models, tracks) is dropped and, for a running stream,
 * built afresh, so the next frame-set may carry any time. The way out for a feeder whose
 * clock jumped, or a stream resumed after a long silence (frame times must otherwise
 * increase by at most a day). Audited as `stream.reset`. The runtime is this process's: with
 * several tracker instances, reset on the one that takes the stream's frames.
 */
@Injectable()
export class StreamResetService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(AuditWriter) private readonly audit: AuditWriter,
    @Inject(StreamsService) private readonly streams: StreamsService,
    @Inject(StreamRuntimes) private readonly runtimes: StreamRuntimes,
  ) {}

  async reset(actor: RequestActor, id: string): Promise<StreamView> {
    const lastT = this.runtimes.get(id)?.lastT ?? null;
    const stream = await this.dataSource.transaction(async (manager) => {
      const current = await this.streams.load(manager, actor, id, 'write:streams', true);
      await this.audit.append(manager, {
        tenantId: current.tenantId,
        ...auditOrigin(actor),
        action: 'stream.reset',
        resource: { type: 'stream', id },
        outcome: 'succeeded',
        diff: auditDiffOf({ lastT }, { lastT: null }),
      });
      return current;
    });
    await this.runtimes.release(id);
    if (stream.state === 'running') (await this.runtimes.ensure(stream)).accepting = true;
    return this.streams.view(stream);
  }
}
