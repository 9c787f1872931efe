import { Inject, Injectable } from '@nestjs/common';
import type { RequestActor } from '@voxelfleet/auth';
import { DATA_SOURCE, DomainError } from '@voxelfleet/platform';
import { LocalGeoFrame } from '@voxelfleet/voxel';
import type { DataSource } from 'typeorm';
import { wgs84Position } from '../live/wgs84-position.js';
import { rigsRepository } from '../rigs/rigs.repository.js';
import { StreamsService } from '../streams/streams.service.js';
import type { TrackPointView } from './track-export.js';
import { TrackHistoryWriter } from './track-history.writer.js';
import type { TracksQueryDto } from './tracks-query.dto.js';

interface PointRow {
  track_id: number;
  frame_seq: string;
  t: number;
  state: string;
  x: number;
  y: number;
  z: number;
  vx: number;
  vy: number;
  vz: number;
  covariance: number[];
  confidence: number;
}

export interface TrackHistory {
  points: TrackPointView[];
  /** True when the stream's rig is georeferenced: every point then carries wgs84. */
  georeferenced: boolean;
}

/** Reads a stream's persisted tracks (after writing what is still buffered). */
@Injectable()
export class TrackHistoryService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(StreamsService) private readonly streams: StreamsService,
    @Inject(TrackHistoryWriter) private readonly writer: TrackHistoryWriter,
  ) {}

  async read(actor: RequestActor, id: string, query: TracksQueryDto): Promise<TrackHistory> {
    if (query.from !== undefined && query.to !== undefined && query.from > query.to) {
      throw new DomainError(400, 'bad_request', 'from: must not be after to');
    }
    const stream = await this.streams.load(this.dataSource.manager, actor, id, 'read:streams');
    // Rigs with streams cannot change their georeference, so this is the one tracks had live.
    const georeference = (await rigsRepository.find(this.dataSource.manager, stream.rigId))?.georeference;
    const frame = georeference ? new LocalGeoFrame(georeference) : null;
    if (query.format === 'geojson' && !frame) {
      throw new DomainError(
        409,
        'rig_not_georeferenced',
        "format: geojson needs the stream's rig to have a georeference",
      );
    }
    await this.writer.flush();
    const rows: PointRow[] = await this.dataSource.query(
      `SELECT track_id, frame_seq, t, state, x, y, z, vx, vy, vz, covariance, confidence
         FROM track_points
        WHERE stream_id = $1 AND tenant_id = $2
          AND ($3::float8 IS NULL OR t >= $3) AND ($4::float8 IS NULL OR t <= $4)
          AND ($5::int IS NULL OR track_id = $5)
        ORDER BY t, track_id
        LIMIT $6`,
      [
        stream.id,
        stream.tenantId,
        query.from ?? null,
        query.to ?? null,
        query.trackId ?? null,
        query.limit ?? 10_000,
      ],
    );
    const points = rows.map((r): TrackPointView => {
      const point: TrackPointView = {
        trackId: r.track_id,
        frameSeq: Number(r.frame_seq),
        t: r.t,
        state: r.state,
        position: [r.x, r.y, r.z],
        velocity: [r.vx, r.vy, r.vz],
        covariance: r.covariance.map(Number),
        confidence: r.confidence,
      };
      if (frame) point.wgs84 = wgs84Position(frame, point.position);
      return point;
    });
    return { points, georeferenced: frame !== null };
  }
}
