import { ApiProperty } from '@nestjs/swagger';

class AuditActorSchema {
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) id!: string | null;
  @ApiProperty({ example: 'service' }) type!: string;
  @ApiProperty({ type: [String] }) roles!: string[];
}

class AuditResourceSchema {
  @ApiProperty({ example: 'tenant' }) type!: string;
  @ApiProperty({ type: String, nullable: true }) id!: string | null;
}

/** One hash-chained entry as libs/audit reads it back. */
export class AuditEntrySchema {
  @ApiProperty({ description: 'Global sequence (bigint as a string); the cursor for the next page' })
  seq!: string;
  @ApiProperty({ description: "Tenant id, or 'platform'" }) chain!: string;
  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'number' }], description: 'Position in its chain' })
  chainSeq!: string | number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) tenantId!: string | null;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: () => AuditActorSchema }) actor!: AuditActorSchema;
  @ApiProperty({ type: String, nullable: true }) sourceIp!: string | null;
  @ApiProperty({ type: String, nullable: true }) requestId!: string | null;
  @ApiProperty({ type: String, nullable: true }) traceId!: string | null;
  @ApiProperty({ example: 'tenant.quota.set' }) action!: string;
  @ApiProperty({ type: () => AuditResourceSchema }) resource!: AuditResourceSchema;
  @ApiProperty({ enum: ['allowed', 'denied', 'succeeded', 'failed'] }) outcome!: string;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'Before/after of what changed, secrets scrubbed',
  })
  diff!: Record<string, unknown> | null;
  @ApiProperty({ description: 'sha256 of the previous entry of the chain (hex)' }) prevHash!: string;
  @ApiProperty({ description: 'sha256 of this entry (hex)' }) hash!: string;
}

/** GET /admin/audit: oldest first. */
export class AuditPageSchema {
  @ApiProperty({ type: () => [AuditEntrySchema] }) entries!: AuditEntrySchema[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as ?after= for the next page; null on the last page',
  })
  nextCursor!: string | null;
}

const CHAIN_HEAD = { type: 'object', additionalProperties: true, nullable: true };

/** libs/audit verify-chain.ts ChainVerification, ok. */
const CHAIN_INTACT = {
  type: 'object',
  required: ['ok', 'checked', 'head'],
  properties: {
    ok: { type: 'boolean', enum: [true] },
    checked: { type: 'integer' },
    head: CHAIN_HEAD,
  },
};

/** libs/audit verify-chain.ts ChainVerification, broken. */
const CHAIN_BROKEN = {
  type: 'object',
  required: ['ok', 'checked', 'firstBrokenSeq', 'reason', 'detail', 'breaks', 'brokenLinks', 'head'],
  properties: {
    ok: { type: 'boolean', enum: [false] },
    checked: { type: 'integer' },
    firstBrokenSeq: { type: 'integer' },
    reason: { type: 'string' },
    detail: { type: 'string' },
    breaks: {
      type: 'array',
      items: {
        type: 'object',
        required: ['seq', 'reason', 'detail'],
        properties: { seq: { type: 'integer' }, reason: { type: 'string' }, detail: { type: 'string' } },
      },
    },
    brokenLinks: { type: 'integer' },
    head: CHAIN_HEAD,
  },
};

class ChainReportSchema {
  @ApiProperty() chain!: string;
  @ApiProperty() fromSeq!: number;
  @ApiProperty() toSeq!: number;
  @ApiProperty({
    oneOf: [CHAIN_INTACT, CHAIN_BROKEN],
    description:
      'Intact: { ok: true, checked, head }. Broken: { ok: false, checked, firstBrokenSeq, reason, detail, breaks (every broken link, the first 1000), brokenLinks, head }',
  })
  result!: Record<string, unknown>;
  @ApiProperty({ type: [Number], description: 'Checkpoints whose signature did not verify (not used)' })
  badCheckpoints!: number[];
}

/** GET /admin/audit/verify. */
export class AuditVerifySchema {
  @ApiProperty({ description: 'Every chain intact and no bad checkpoint' }) ok!: boolean;
  @ApiProperty({ description: 'Whether signed checkpoints were checked against a trusted key' })
  checkpointsTrusted!: boolean;
  @ApiProperty({ type: () => [ChainReportSchema] }) chains!: ChainReportSchema[];
}
