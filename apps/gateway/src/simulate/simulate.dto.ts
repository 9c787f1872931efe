import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PRIORITY_CLASSES, type PriorityClass } from '@voxelfleet/scheduling';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

export class SimulateAffinityDto {
  @ApiPropertyOptional({ description: 'Hard: only this node' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  nodeId?: string;

  @ApiPropertyOptional({ example: 'sm_90+,vram>=40GiB' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  deviceClass?: string;
}

export class SimulateKernelDto {
  @ApiProperty({ example: 'matmul.f32' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, { message: 'kernel.name must be a dotted kernel name' })
  @MaxLength(128)
  name!: string;

  @ApiPropertyOptional({ description: 'A signed custom kernel rather than a built-in one' })
  @IsOptional()
  @IsBoolean()
  custom?: boolean;
}

/** A job or allocation that is not submitted: what would happen to it now. */
export class SimulateDto {
  @ApiPropertyOptional({ format: 'uuid', description: "Default: the caller's own tenant" })
  @IsOptional()
  @IsUUID()
  tenantId?: string;

  @ApiProperty({ example: 8 * 2 ** 30, description: 'VRAM per device, bytes' })
  @IsInt()
  @Min(0)
  @Max(2 ** 50)
  vramBytesPerDevice!: number;

  @ApiProperty({
    example: 1,
    description: 'GPUs (a job that may also run on the CPU sets cpuFallbackAllowed)',
  })
  @IsInt()
  @Min(1)
  @Max(1024)
  gpus!: number;

  @ApiProperty({ enum: PRIORITY_CLASSES })
  @IsIn(PRIORITY_CLASSES)
  priority!: PriorityClass;

  @ApiPropertyOptional({ description: 'Deadline, milliseconds from now' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365 * 24 * 3_600_000)
  deadlineInMs?: number;

  @ApiPropertyOptional({ description: 'Estimated duration, milliseconds' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(30 * 24 * 3_600_000)
  estimatedDurationMs?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  preemptible?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  cpuFallbackAllowed?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  opensTrackingStream?: boolean;

  @ApiPropertyOptional({ type: SimulateKernelDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SimulateKernelDto)
  kernel?: SimulateKernelDto;

  @ApiPropertyOptional({ type: SimulateAffinityDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SimulateAffinityDto)
  affinity?: SimulateAffinityDto;
}
