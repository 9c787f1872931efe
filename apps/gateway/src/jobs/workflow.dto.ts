import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { JobRequestDto } from './job.dto.js';

export const EDGE_POLICIES = ['fail-workflow', 'skip-dependents', 'continue'] as const;

export class WorkflowDependencyDto {
  @ApiProperty({ description: 'The key of the step this one waits for' })
  @IsString()
  @MaxLength(64)
  step!: string;

  @ApiPropertyOptional({ enum: EDGE_POLICIES, default: 'fail-workflow' })
  @IsOptional()
  @IsIn(EDGE_POLICIES)
  onFailure?: (typeof EDGE_POLICIES)[number];
}

export class WorkflowStepDto extends JobRequestDto {
  @ApiProperty({ example: 'extract', description: 'Unique within the workflow' })
  @IsString()
  @Matches(/^[A-Za-z0-9._-]{1,64}$/, {
    message: 'key must be 1-64 letters, digits, dots, dashes or underscores',
  })
  key!: string;

  @ApiPropertyOptional({ type: [WorkflowDependencyDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(256)
  @ValidateNested({ each: true })
  @Type(() => WorkflowDependencyDto)
  dependsOn?: WorkflowDependencyDto[];
}

export class SubmitWorkflowDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Platform callers: the tenant the workflow runs for' })
  @IsOptional()
  @IsUUID()
  tenantId?: string;

  @ApiProperty({ type: [WorkflowStepDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1_000)
  @ValidateNested({ each: true })
  @Type(() => WorkflowStepDto)
  steps!: WorkflowStepDto[];
}
