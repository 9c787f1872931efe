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
