import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type TenantStatus = 'active' | 'suspended';

@Entity({ name: 'tenants' })
export class TenantEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text', unique: true })
  name!: string;

  @Column({ type: 'text', default: 'community' })
  edition!: string;

  @Column({ type: 'text', default: 'active' })
  status!: TenantStatus;

  /** Per-tenant overrides of the edition's limits; keys are quota names, values base units. */
  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  quota!: Record<string, number>;

  /** Fair-share weight: a tenant with weight 2 is entitled to twice the GPU time. */
  @Column({ type: 'double precision', default: 1 })
  weight!: number;

  @Column({ name: 'placement_policy', type: 'text', nullable: true })
  placementPolicy!: 'least-loaded' | 'bin-pack' | 'spread' | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
