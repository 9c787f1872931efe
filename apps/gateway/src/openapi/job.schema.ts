import { ApiProperty } from '@nestjs/swagger';
import { JOB_STATES, type JobState } from '@voxelfleet/contracts';
import type { JobView } from '../jobs/job-views.js';
import { JobBlockerSchema } from './blocker.schema.js';

const NULLABLE_TIME = { type: String, format: 'date-time', nullable: true } as const;

class JobKernelSchema {
  @ApiProperty() name!: string;
  @ApiProperty({ required: false, format: 'uuid', description: 'A registered signed kernel' })
  kernelId?: string;
}

/** jobs/job-views.ts JobView: a field the view gains and the schema lacks does not compile. */
export class JobSchema implements JobView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) tenantId!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) workflowId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Its step key in the workflow' })
  step!: string | null;
  @ApiProperty({ enum: JOB_STATES, example: 'submitted' })
  state!: JobState;
  @ApiProperty() stateReason!: string;
  @ApiProperty({ type: () => JobKernelSchema }) kernel!: JobKernelSchema;
  @ApiProperty({ description: 'Per device' }) vramBytes!: number;
  @ApiProperty() gpus!: number;
  @ApiProperty({ example: 'normal' }) priority!: string;
  @ApiProperty({ description: 'Priority boost (critical path of a workflow)' }) boost!: number;
  @ApiProperty(NULLABLE_TIME) deadline!: string | null;
  @ApiProperty({ type: Number, nullable: true }) estimatedDurationMs!: number | null;
  @ApiProperty() timeoutMs!: number;
  @ApiProperty() preemptible!: boolean;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, nullable: true })
  affinity!: Record<string, string> | null;
  @ApiProperty() cpuFallbackAllowed!: boolean;
  @ApiProperty({
    type: [String],
    nullable: true,
    example: ['vram<=24GiB'],
    description:
      "The device classes the submitter's grants allowed for the kernel at submission; the job is placed only on a device one of them matches (null: any device)",
  })
  grantedDeviceClasses!: string[] | null;
  @ApiProperty() attempt!: number;
  @ApiProperty() maxAttempts!: number;
  @ApiProperty(NULLABLE_TIME) retryAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) nodeId!: string | null;
  @ApiProperty({ type: [String] }) deviceIds!: string[];
  @ApiProperty({ nullable: true, description: "The kernel's output once it succeeded (any JSON)" })
  output!: unknown;
  @ApiProperty({ nullable: true, description: 'What went wrong, once it failed (any JSON)' })
  error!: unknown;
  @ApiProperty({ format: 'date-time' }) submittedAt!: string;
  @ApiProperty(NULLABLE_TIME) placedAt!: string | null;
  @ApiProperty(NULLABLE_TIME) startedAt!: string | null;
  @ApiProperty(NULLABLE_TIME) finishedAt!: string | null;
}

export class JobListSchema {
  @ApiProperty({ type: () => [JobSchema] }) jobs!: JobSchema[];
}

class PendingSchema {
  @ApiProperty({ description: 'One line: what holds the job back' }) summary!: string;
  @ApiProperty(NULLABLE_TIME) since!: string | null;
  @ApiProperty({ type: () => [JobBlockerSchema] }) blockers!: JobBlockerSchema[];
}

class TransitionSchema {
  @ApiProperty({ type: String, nullable: true }) from!: string | null;
  @ApiProperty() to!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ type: String, nullable: true }) nodeId!: string | null;
  @ApiProperty() attempt!: number;
}

/** jobs.service.ts JobDetail: a job with its transitions and, while queued, why it waits. */
export class JobDetailSchema extends JobSchema {
  @ApiProperty({ type: () => PendingSchema, nullable: true, description: 'null unless queued' })
  pending!: PendingSchema | null;
  @ApiProperty({ type: () => [TransitionSchema] }) transitions!: TransitionSchema[];
}

class WorkflowDependencySchema {
  @ApiProperty() step!: string;
  @ApiProperty({ example: 'fail-workflow' }) onFailure!: string;
}

class WorkflowStepSchema {
  @ApiProperty() key!: string;
  @ApiProperty({ format: 'uuid' }) jobId!: string;
  @ApiProperty() state!: string;
  @ApiProperty() stateReason!: string;
  @ApiProperty() boost!: number;
  @ApiProperty() onCriticalPath!: boolean;
  @ApiProperty({ type: () => [WorkflowDependencySchema] }) dependsOn!: WorkflowDependencySchema[];
}

/** jobs/workflows.service.ts WorkflowView. */
export class WorkflowSchema {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) tenantId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() state!: string;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({ type: [String], description: 'Step keys on the critical path' }) criticalPath!: string[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty(NULLABLE_TIME) finishedAt!: string | null;
  @ApiProperty({ type: () => [WorkflowStepSchema] }) steps!: WorkflowStepSchema[];
}
