import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDateString,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';

export class CreateGrantDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  principalId!: string;

  @ApiProperty({
    example: ['motion.*', 'voxel.evidence'],
    description: "Kernel names or patterns ('*' one segment, '**' the rest)",
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(64)
  @IsString({ each: true })
  @MaxLength(128, { each: true })
  kernels!: string[];

  @ApiProperty({
    example: ['sm_90+,vram>=40GiB'],
    description: "Device classes; '*' is any device; empty: CPU only",
  })
  @IsArray()
  @ArrayMaxSize(16)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  deviceClasses!: string[];

  @ApiProperty({ description: 'May the kernels run on the CPU fallback' })
  @IsBoolean()
  cpuFallback!: boolean;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsDateString({ strict: true })
  expiresAt?: string;
}

export class ListGrantsQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  principalId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Platform callers: one tenant only' })
  @IsOptional()
  @IsUUID()
  tenantId?: string;

  @ApiPropertyOptional({ description: 'Include revoked grants' })
  @IsOptional()
  @Transform(({ value }) => value === 'true' || value === true)
  @IsBoolean()
  includeRevoked?: boolean;
}
