import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { APP_LOGGER, DATA_SOURCE, METRICS_REGISTRY } from '@voxelfleet/platform';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { TrackUpdateEvent } from '../live/track-events.js';

interface PendingPoint {
  streamId: string;
  tenantId: string;
  frameSeq: number;
  trackId: number;
  t: number;
  state: string;
  position: [number, number, number];
  velocity: [number, number, number];
  covariance: number[];
  confidence: number;
}

/** Flush when this many points wait, or every FLUSH_INTERVAL_MS, whichever comes first. */
const FLUSH_ROWS = 2_000;
const FLUSH_INTERVAL_MS = 250;
/** While Postgres is unreachable, keep at most this many points (oldest dropped, counted). */
const MAX_PENDING = 200_000;

/**
 * Track history, written in batches: the hot path only appends to an array; one multi-row
 * INSERT (arrays unnested server-side) per flush.
 */
@Injectable()
export class TrackHistoryWriter implements OnModuleDestroy {
  private pending: PendingPoint[] = [];
  private flushing: Promise<void> | null = null;
  private readonly timer: NodeJS.Timeout;
  private readonly written: Counter;
  private readonly dropped: Counter;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(APP_LOGGER) private readonly logger: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.written = new Counter({
      name: 'tracker_track_points_written_total',
      help: 'Track points persisted to history',
      registers: [registry],
    });
    this.dropped = new Counter({
      name: 'tracker_track_points_dropped_total',
      help: 'Track points dropped because history could not be written in time',
      registers: [registry],
    });
    this.timer = setInterval(() => void this.flush(), FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  record(tenantId: string, event: TrackUpdateEvent): void {
    for (const track of event.tracks) {
      this.pending.push({
        streamId: event.streamId,
        tenantId,
        frameSeq: event.frameSeq,
        trackId: track.trackId,
        t: track.t,
        state: track.state,
        position: track.position,
        velocity: track.velocity,
        covariance: track.covariance,
        confidence: track.confidence,
      });
    }
    if (this.pending.length > MAX_PENDING) {
      const excess = this.pending.length - MAX_PENDING;
      this.pending.splice(0, excess);
      this.dropped.inc(excess);
    }
    if (this.pending.length >= FLUSH_ROWS) void this.flush();
  }

  /** Writes everything recorded so far (also what a flush already in progress holds). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.flushing = this.write(batch).finally(() => {
      this.flushing = null;
    });
    await this.flushing;
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private async write(batch: PendingPoint[]): Promise<void> {
    try {
      for (let at = 0; at < batch.length; at += FLUSH_ROWS) {
        const part = batch.slice(at, at + FLUSH_ROWS);
        await this.dataSource.query(
          `INSERT INTO track_points (stream_id, tenant_id, frame_seq, track_id, t, state, x, y, z, vx, vy, vz,
                                     covariance, confidence)
           SELECT s, tn, f, tr, t, st, x, y, z, vx, vy, vz, cv::float8[], conf
             FROM unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::int[], $5::float8[], $6::text[],
                         $7::float8[], $8::float8[], $9::float8[], $10::float8[], $11::float8[], $12::float8[],
                         $13::text[], $14::float8[])
                  AS u(s, tn, f, tr, t, st, x, y, z, vx, vy, vz, cv, conf)`,
          columns(part),
        );
        this.written.inc(part.length);
      }
    } catch (error) {
      // Keep the batch for the next flush (bounded by MAX_PENDING) rather than lose it.
      this.logger.error({ err: error, points: batch.length }, 'could not write track history; will retry');
      this.pending = batch.concat(this.pending);
    }
  }
}

function columns(points: PendingPoint[]): unknown[] {
  return [
    points.map((p) => p.streamId),
    points.map((p) => p.tenantId),
    points.map((p) => p.frameSeq),
    points.map((p) => p.trackId),
    points.map((p) => p.t),
    points.map((p) => p.state),
    points.map((p) => p.position[0]),
    points.map((p) => p.position[1]),
    points.map((p) => p.position[2]),
    points.map((p) => p.velocity[0]),
    points.map((p) => p.velocity[1]),
    points.map((p) => p.velocity[2]),
    // One array literal per row: unnest would flatten a two-dimensional array.
    points.map((p) => `{${p.covariance.join(',')}}`),
    points.map((p) => p.confidence),
  ];
}
