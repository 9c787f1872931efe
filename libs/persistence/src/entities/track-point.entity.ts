import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One track's state at one frame-set, as persisted in batches by the tracker. */
@Entity({ name: 'track_points' })
@Index(['streamId', 't'])
@Index(['streamId', 'trackId', 't'])
export class TrackPointEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'stream_id', type: 'uuid' })
  streamId!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ name: 'track_id', type: 'integer' })
  trackId!: number;

  @Column({ name: 'frame_seq', type: 'bigint' })
  frameSeq!: string;

  @Column({ type: 'double precision' })
  t!: number;

  @Column({ type: 'text' })
  state!: string;

  @Column({ type: 'double precision' }) x!: number;
  @Column({ type: 'double precision' }) y!: number;
  @Column({ type: 'double precision' }) z!: number;
  @Column({ type: 'double precision' }) vx!: number;
  @Column({ type: 'double precision' }) vy!: number;
  @Column({ type: 'double precision' }) vz!: number;

  @Column({ type: 'double precision', array: true })
  covariance!: number[];

  @Column({ type: 'double precision' })
  confidence!: number;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;
}
