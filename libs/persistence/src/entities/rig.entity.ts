import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** One calibrated camera of a rig, as stored (world-to-camera rotation as a unit quaternion). */
export interface StoredRigCamera {
  id: string;
  width: number;
  height: number;
  intrinsics: { fx: number; fy: number; cx: number; cy: number };
  distortion: { k1: number; k2: number; p1: number; p2: number };
  position: [number, number, number];
  /** [w, x, y, z]. */
  quaternion: [number, number, number, number];
}

/** A tenant's camera rig: intrinsics, distortion, pose and resolution per camera. */
@Entity({ name: 'rigs' })
@Index(['tenantId', 'name'], { unique: true })
export class RigEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'jsonb' })
  cameras!: StoredRigCamera[];

  @Column({ type: 'text', default: 'api' })
  source!: 'api' | 'original-metadata';

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'created_by', type: 'text', nullable: true })
  createdBy!: string | null;
}
