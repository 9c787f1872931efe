import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { APP_LOGGER, DATA_SOURCE, DomainError, METRICS_REGISTRY, TRANSPORT } from '@voxelfleet/platform';
import type { Transport } from '@voxelfleet/transport';
import { LocalGeoFrame } from '@voxelfleet/voxel';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { CotSender } from '../live/cot-sender.service.js';
import { geoSink } from '../live/geo-sink.js';
import { LiveHub } from '../live/live-hub.service.js';
import { cameraFromStored } from '../rigs/rig-cameras.js';
import { rigsRepository } from '../rigs/rigs.repository.js';
import type { StreamRecord } from '../streams/streams.repository.js';
import { TRACKER_SETTINGS, type TrackerSettings } from '../tracker.settings.js';
import { InProcessEvidence, type EvidenceBackend } from './evidence-backend.js';
import { FleetEvidence } from './fleet-evidence.js';
import { StreamRuntime, type RuntimeSink } from './stream-runtime.js';
import { meteredSink, TrackerMetrics } from './tracker-metrics.js';

/**
 * The streams this process is tracking. A runtime is built when a stream starts (or on the
 * first frame-set after a restart) and dropped when it stops; its pipeline state (background
 * models, tracks) lives only here. Evidence runs on the fleet or in this process, as configured.
 */
@Injectable()
export class StreamRuntimes implements OnModuleDestroy {
  private readonly runtimes = new Map<string, StreamRuntime>();
  private readonly building = new Map<string, Promise<StreamRuntime>>();

  private readonly sink: RuntimeSink;
  private readonly evidence: EvidenceBackend;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(LiveHub) hub: LiveHub,
    @Inject(METRICS_REGISTRY) registry: Registry,
    @Inject(TRANSPORT) transport: Transport,
    @Inject(APP_LOGGER) logger: Logger,
    @Inject(TRACKER_SETTINGS) settings: TrackerSettings,
    @Inject(CotSender) private readonly cot: CotSender,
  ) {
    this.evidence =
      settings.evidence === 'fleet'
        ? new FleetEvidence(dataSource, transport, logger, {
            budgetMs: settings.evidenceBudgetMs,
            pollMs: settings.evidencePollMs,
          })
        : new InProcessEvidence();
    const metrics = new TrackerMetrics(registry, () => this.runtimes.values());
    this.sink = meteredSink(hub, metrics);
  }

  get(streamId: string): StreamRuntime | undefined {
    return this.runtimes.get(streamId);
  }

  async ensure(stream: StreamRecord): Promise<StreamRuntime> {
    const existing = this.runtimes.get(stream.id);
    if (existing) return existing;
    let pending = this.building.get(stream.id);
    if (!pending) {
      pending = this.build(stream).finally(() => this.building.delete(stream.id));
      this.building.set(stream.id, pending);
    }
    return pending;
  }

  /** Drops a stream's runtime after its queued frame-sets are processed. */
  async release(streamId: string): Promise<void> {
    const runtime = this.runtimes.get(streamId);
    if (!runtime) return;
    this.runtimes.delete(streamId);
    runtime.accepting = false;
    await runtime.idle();
    this.cot.close(streamId);
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([...this.runtimes.values()].map((r) => r.idle()));
    if (this.evidence instanceof FleetEvidence) this.evidence.close();
  }

  private async build(stream: StreamRecord): Promise<StreamRuntime> {
    const rig = await rigsRepository.find(this.dataSource.manager, stream.rigId);
    if (!rig) throw new DomainError(409, 'rig_missing', `stream ${stream.id}: its rig no longer exists`);
    // On a georeferenced rig, tracks also go out in WGS84 (and to the stream's TAK server).
    const sink = rig.georeference
      ? geoSink(
          this.sink,
          new LocalGeoFrame(rig.georeference),
          stream.cotOutput && {
            streamId: stream.id,
            streamName: stream.name,
            output: stream.cotOutput,
            outlet: this.cot.open(stream.id, stream.cotOutput),
          },
        )
      : this.sink;
    const runtime = new StreamRuntime(
      stream.id,
      stream.tenantId,
      rig.cameras.map(cameraFromStored),
      stream.grid,
      stream.parameters,
      sink,
      Date.now,
      this.evidence,
    );
    this.runtimes.set(stream.id, runtime);
    return runtime;
  }
}
