import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

export const PLACEMENT_POLICIES = ['least-loaded', 'bin-pack', 'spread'] as const;
const TENANT_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const NAME_RULE = 'name must be 1-63 lower-case letters, digits or dashes, starting with a letter or digit';
const MAX_BYTES = 2 ** 50; // 1 PiB: beyond any device or fleet this gateway will see
const MAX_COUNT = 1_000_000;

/** A tenant's own limits; each one is optional and must stay within its edition's ceiling. */
export class QuotaDto {
  @ApiPropertyOptional({ description: 'Largest VRAM a job may take on one device, bytes' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_BYTES)
  vramBytesPerDevice?: number;

  @ApiPropertyOptional({ description: 'VRAM held by all running jobs, bytes' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_BYTES)
  vramBytesTotal?: number;

  @ApiPropertyOptional({ description: 'GPUs held by all running jobs' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_COUNT)
  gpus?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_COUNT)
  concurrentJobs?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_COUNT)
  jobsPerMinute?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_COUNT * 1000)
  gpuSecondsPerDay?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_COUNT)
  trackingStreams?: number;
}

export class CreateTenantDto {
  @ApiProperty({ example: 'acme', description: NAME_RULE })
  @IsString()
  @Matches(TENANT_NAME, { message: NAME_RULE })
  name!: string;

  @ApiPropertyOptional({ example: 'pro', default: 'community' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  edition?: string;

  @ApiPropertyOptional({ type: QuotaDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => QuotaDto)
  quota?: QuotaDto;

  @ApiPropertyOptional({ description: 'Fair-share weight', default: 1 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.01)
  @Max(100)
  weight?: number;

  @ApiPropertyOptional({ enum: PLACEMENT_POLICIES })
  @IsOptional()
  @IsIn(PLACEMENT_POLICIES)
  placementPolicy?: (typeof PLACEMENT_POLICIES)[number];
}

export class UpdateTenantDto {
  @ApiPropertyOptional({ description: NAME_RULE })
  @IsOptional()
  @IsString()
  @Matches(TENANT_NAME, { message: NAME_RULE })
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  edition?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.01)
  @Max(100)
  weight?: number;

  @ApiPropertyOptional({ enum: PLACEMENT_POLICIES })
  @IsOptional()
  @IsIn(PLACEMENT_POLICIES)
  placementPolicy?: (typeof PLACEMENT_POLICIES)[number];
}

export class SuspendTenantDto {
  @ApiPropertyOptional({ description: 'Why; goes into the audit log' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

const COHORT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const COHORT_RULE =
  'cohort must be 1-64 letters, digits, dots, dashes or underscores, starting with a letter or digit, or null';

/** How far beyond its own limits a tenant may go on quota its cohort lends it. */
export class BorrowingLimitDto {
  @ApiPropertyOptional({ description: 'VRAM beyond vramBytesTotal, bytes' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_BYTES)
  vramBytesTotal?: number;

  @ApiPropertyOptional({ description: 'GPUs beyond the gpus quota' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_COUNT)
  gpus?: number;

  @ApiPropertyOptional({ description: 'Running jobs beyond concurrentJobs' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_COUNT)
  concurrentJobs?: number;
}

/** `PUT /admin/tenants/:id/cohort`: the cohort a tenant lends in and borrows from. */
export class CohortDto {
  @ApiProperty({ type: String, nullable: true, description: `${COHORT_RULE}; null leaves any cohort` })
  @ValidateIf((dto: CohortDto) => dto.cohort !== null)
  @IsString()
  @Matches(COHORT, { message: COHORT_RULE })
  cohort!: string | null;

  @ApiPropertyOptional({
    type: () => BorrowingLimitDto,
    description: 'Replaces the borrowing limit; absent quotas borrow nothing. Default: none',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => BorrowingLimitDto)
  borrowingLimit?: BorrowingLimitDto;
}
