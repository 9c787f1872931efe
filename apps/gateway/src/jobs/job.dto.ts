import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDateString,
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
import { JOB_STATES, type JobState } from '@voxelfleet/contracts';
import { DEFAULT_PRIORITY, PRIORITY_CLASSES, type PriorityClass } from '@voxelfleet/scheduling';

export class JobAffinityDto {
  @ApiPropertyOptional({ description: 'Hard: run only on this node' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  nodeId?: string;

  @ApiPropertyOptional({ example: 'sm_90+,vram>=40GiB', description: 'Hard: a device-class expression' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  deviceClass?: string;

  @ApiPropertyOptional({ description: 'Soft: prefer the node holding this tracking stream' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  sameNodeAsStream?: string;
}

/** One kernel job as submitted; the same fields describe a step of a workflow. */
export class JobRequestDto {
  @ApiProperty({
    example: 'saxpy',
    description: 'A built-in kernel name, or a registered kernel with kernelId',
  })
  @IsString()
  @Matches(/^[a-z][a-z0-9._-]{0,127}$/, {
    message: 'kernel must be a kernel name such as saxpy or motion.diff',
  })
  kernel!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'A registered signed kernel (see /admin/gpu/kernels)' })
  @IsOptional()
  @IsUUID()
  kernelId?: string;

  @ApiPropertyOptional({
    description: 'Kernel inputs: numbers, strings, small arrays or {base64, dtype} buffers',
  })
  @IsOptional()
  @IsObject()
  inputs?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Peak VRAM per device, bytes', default: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  vramBytes?: number;

  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(64)
  gpus?: number;

  @ApiPropertyOptional({ enum: PRIORITY_CLASSES, default: DEFAULT_PRIORITY })
  @IsOptional()
  @IsIn(PRIORITY_CLASSES)
  priority?: PriorityClass;

  @ApiPropertyOptional({ format: 'date-time', description: 'Start by then, or the job expires' })
  @IsOptional()
  @IsDateString({ strict: true })
  deadline?: string;

  @ApiPropertyOptional({ description: 'Expected run time, ms (critical path, GPU-second budget)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(7 * 86_400_000)
  estimatedDurationMs?: number;

  @ApiPropertyOptional({ description: 'Hard wall-clock limit of one run, ms', default: 600_000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(86_400_000)
  timeoutMs?: number;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  preemptible?: boolean;

  @ApiPropertyOptional({ type: JobAffinityDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => JobAffinityDto)
  affinity?: JobAffinityDto;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  cpuFallbackAllowed?: boolean;

  @ApiPropertyOptional({ description: 'Attempts in all, the first included', default: 3 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(20)
  maxAttempts?: number;

  @ApiPropertyOptional({
    description:
      'Launches of the kernel in one run, back to back, each taking the previous launch’s outputs as inputs of the same name (an iterative kernel carries its state). A preemption or cancellation stops the run between two launches.',
    default: 1,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  launches?: number;

  @ApiPropertyOptional({
    description:
      'On a preemption notice the run writes a checkpoint at its next launch boundary (kept with the job) and is dispatched again from it',
    default: false,
  })
  @IsOptional()
  @IsBoolean()
  checkpointable?: boolean;

  @ApiPropertyOptional({
    description: 'Seconds a checkpointable run has, after a preemption notice, to write its checkpoint',
    default: 30,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3_600)
  preemptionGraceSeconds?: number;
}

export class SubmitJobDto extends JobRequestDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Platform callers: the tenant the job runs for' })
  @IsOptional()
  @IsUUID()
  tenantId?: string;
}

export class ListJobsQuery {
  @ApiPropertyOptional({ enum: JOB_STATES })
  @IsOptional()
  @IsIn(JOB_STATES)
  state?: JobState;

  @ApiPropertyOptional({ format: 'uuid', description: 'Platform callers: one tenant only' })
  @IsOptional()
  @IsUUID()
  tenantId?: string;

  @ApiPropertyOptional({ default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}
