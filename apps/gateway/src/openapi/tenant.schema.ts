import { ApiProperty } from '@nestjs/swagger';
import { QUOTA_NAMES } from '@voxelfleet/scheduling';

/** Every quota as a number; the seven names QuotaDto accepts. */
export class QuotaLimitsSchema {
  @ApiProperty({ description: 'bytes' }) vramBytesPerDevice!: number;
  @ApiProperty({ description: 'bytes' }) vramBytesTotal!: number;
  @ApiProperty() gpus!: number;
  @ApiProperty() concurrentJobs!: number;
  @ApiProperty() jobsPerMinute!: number;
  @ApiProperty() gpuSecondsPerDay!: number;
  @ApiProperty() trackingStreams!: number;
}

export class EditionFeaturesSchema {
  @ApiProperty() multiGpu!: boolean;
  @ApiProperty() signedCustomKernels!: boolean;
  @ApiProperty() trackingStreams!: boolean;
  @ApiProperty() cpuFallback!: boolean;
}

/** tenants/tenant-view.ts tenantView(). */
export class TenantSchema {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'pro' }) edition!: string;
  @ApiProperty({ enum: ['active', 'suspended'] }) status!: string;
  @ApiProperty() suspended!: boolean;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    description: "The tenant's own limits (only those it set); the rest come from the edition",
  })
  quotaOverrides!: Record<string, number>;

  @ApiProperty({
    type: () => QuotaLimitsSchema,
    required: false,
    description: 'The limits that apply (own override or edition default, within the ceiling)',
  })
  limits?: QuotaLimitsSchema;

  @ApiProperty({ type: () => EditionFeaturesSchema, required: false })
  features?: EditionFeaturesSchema;

  @ApiProperty({ description: 'Fair-share weight' }) weight!: number;

  @ApiProperty({ type: String, nullable: true, enum: ['least-loaded', 'bin-pack', 'spread'] })
  placementPolicy!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Tenants of one cohort lend each other the quota they leave unused',
  })
  cohort!: string | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    description: 'How far beyond its own vramBytesTotal, gpus and concurrentJobs the tenant may borrow',
  })
  borrowingLimit!: Record<string, number>;

  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class TenantListSchema {
  @ApiProperty({ type: () => [TenantSchema] }) tenants!: TenantSchema[];
}

/** One line of me.controller.ts / quota-report.ts quotaReport(). */
export class QuotaLineSchema {
  @ApiProperty({ enum: QUOTA_NAMES })
  quota!: string;

  @ApiProperty() limit!: number;

  @ApiProperty({
    enum: ['tenant', 'edition'],
    description: "edition when the edition's ceiling, not the tenant's own quota, sets the limit",
  })
  source!: string;

  @ApiProperty() used!: number;
  @ApiProperty() headroom!: number;
}

/** One line of libs/scheduling borrowing.ts cohortReport(). */
export class CohortLineSchema {
  @ApiProperty({ enum: ['vramBytesTotal', 'gpus', 'concurrentJobs'] }) quota!: string;
  @ApiProperty({ description: "The tenant's own limit" }) own!: number;
  @ApiProperty() used!: number;
  @ApiProperty({ description: 'Used beyond its own limit, on quota its cohort lends' }) borrowed!: number;
  @ApiProperty({ description: 'Its unused quota that other cohort members use now' }) lent!: number;
  @ApiProperty() borrowingLimit!: number;
}

export class CohortReportSchema {
  @ApiProperty({ type: String, nullable: true }) cohort!: string | null;
  @ApiProperty({ type: () => [CohortLineSchema] }) quotas!: CohortLineSchema[];
}

/** GET /v1/quota. */
export class QuotaViewSchema {
  @ApiProperty({ format: 'uuid' }) tenantId!: string;
  @ApiProperty() edition!: string;
  @ApiProperty() suspended!: boolean;
  @ApiProperty({ type: () => EditionFeaturesSchema }) features!: EditionFeaturesSchema;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: () => [QuotaLineSchema] }) quotas!: QuotaLineSchema[];
  @ApiProperty({ type: () => CohortReportSchema, description: 'Own, borrowed and lent quota in its cohort' })
  borrowing!: CohortReportSchema;
  @ApiProperty({ description: 'What usage counts' }) usageSource!: string;
}
