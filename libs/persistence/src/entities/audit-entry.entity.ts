import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One append-only audit record. Entries form one hash chain per tenant (chain = tenant id, or
 * 'platform'): hash = SHA-256(prevHash + canonical entry). A trigger rejects UPDATE and DELETE.
 */
@Entity({ name: 'audit_log' })
@Index(['chain', 'chainSeq'], { unique: true })
export class AuditEntryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  seq!: string;

  @Column({ type: 'text' })
  chain!: string;

  @Column({ name: 'chain_seq', type: 'bigint' })
  chainSeq!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ name: 'tenant_id', type: 'uuid', nullable: true })
  tenantId!: string | null;

  @Column({ name: 'actor_id', type: 'text', nullable: true })
  actorId!: string | null;

  @Column({ name: 'actor_type', type: 'text' })
  actorType!: string;

  @Column({ name: 'actor_roles', type: 'text', array: true, default: () => "'{}'" })
  actorRoles!: string[];

  @Column({ name: 'source_ip', type: 'text', nullable: true })
  sourceIp!: string | null;

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId!: string | null;

  @Column({ name: 'trace_id', type: 'text', nullable: true })
  traceId!: string | null;

  @Column({ type: 'text' })
  action!: string;

  @Column({ name: 'resource_type', type: 'text' })
  resourceType!: string;

  @Column({ name: 'resource_id', type: 'text', nullable: true })
  resourceId!: string | null;

  @Column({ type: 'text' })
  outcome!: string;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  diff!: Record<string, unknown> | null;

  @Column({ name: 'prev_hash', type: 'text' })
  prevHash!: string;

  @Column({ type: 'text' })
  hash!: string;
}
