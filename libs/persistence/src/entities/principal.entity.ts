import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type PrincipalKind = 'user' | 'service';

/** A user or service account; tenantId null means a platform principal (operators, auditors). */
@Entity({ name: 'principals' })
@Index(['tenantId', 'name'], { unique: true })
export class PrincipalEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid', nullable: true })
  tenantId!: string | null;

  @Column({ type: 'text' })
  kind!: PrincipalKind;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  roles!: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true })
  disabledAt!: Date | null;
}
