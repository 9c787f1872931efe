import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type TrackingStreamState = 'created' | 'running' | 'paused' | 'stopped';

/** The tracking parameters a stream was created with. */
export interface StoredStreamParameters {
  /** Background-model threshold, in noise sigmas. */
  motionThreshold: number;
  /** Frame-sets ORed into one evidence window. */
  windowFrames: number;
  /** Cameras that must agree on a voxel. */
  minCameras: number;
  /** Track confirmation: M hits within the last N frame-sets. */
  confirmHits: number;
  confirmWindow: number;
  /** Nominal frame-sets per second (replay at real speed, ETA). */
  fps: number;
}

/** A stream binds a rig, a voxel grid descriptor and tracking parameters. */
@Entity({ name: 'tracking_streams' })
@Index(['tenantId', 'name'], { unique: true })
export class TrackingStreamEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ name: 'rig_id', type: 'uuid' })
  rigId!: string;

  @Column({ type: 'text' })
  name!: string;

  /** A VoxelGridDescriptor (origin, dims, voxel size, axis order, dtype, version). */
  @Column({ type: 'jsonb' })
  grid!: Record<string, unknown>;

  @Column({ type: 'jsonb' })
  parameters!: StoredStreamParameters;

  @Column({ type: 'text', default: 'created' })
  state!: TrackingStreamState;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'stopped_at', type: 'timestamptz', nullable: true })
  stoppedAt!: Date | null;

  @Column({ name: 'created_by', type: 'text', nullable: true })
  createdBy!: string | null;
}
