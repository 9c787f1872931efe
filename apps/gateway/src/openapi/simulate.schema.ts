import { ApiProperty } from '@nestjs/swagger';
import { SimulatedBlockerSchema } from './blocker.schema.js';

const LOOSE = { type: 'object', additionalProperties: true } as const;

class SimulateBasisSchema {
  @ApiProperty() nodes!: number;
  @ApiProperty() runningJobs!: number;
  @ApiProperty() usageSource!: string;
}

class GrantLimitSchema {
  @ApiProperty({ example: 'matmul.f32' }) kernel!: string;
  @ApiProperty({ type: [String], description: "The caller's live grants covering the kernel" })
  grantIds!: string[];
  @ApiProperty({
    type: [String],
    example: ['vram<=24GiB'],
    description: 'The job may be placed only on a device one of these classes matches',
  })
  deviceClasses!: string[];
}

/** POST /admin/gpu/simulate: libs/scheduling simulate() plus what the gateway adds. */
export class SimulateResultSchema {
  @ApiProperty({ enum: [true], description: 'Always true' }) dryRun!: boolean;
  @ApiProperty({ enum: ['would-start', 'would-preempt', 'would-wait', 'rejected'] }) outcome!: string;
  @ApiProperty({ description: "Passes the tenant's checks now (suspension, features, quotas)" })
  admitted!: boolean;
  @ApiProperty({ ...LOOSE, nullable: true, description: 'Node and devices it would get; null if none' })
  placement!: Record<string, unknown> | null;
  @ApiProperty({ type: () => [SimulatedBlockerSchema], description: 'What holds it back' })
  blockers!: SimulatedBlockerSchema[];
  @ApiProperty({ ...LOOSE, nullable: true, description: '{ code, reason } when it could never run' })
  rejection!: Record<string, unknown> | null;
  @ApiProperty({ type: Number, nullable: true }) estimatedStartMs!: number | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) estimatedStartAt!: string | null;
  @ApiProperty() estimateBasis!: string;
  @ApiProperty({
    type: 'array',
    items: LOOSE,
    description: 'Jobs it would preempt (jobId, tenantId, nodeId, deviceIds, lostWorkMs, ...)',
  })
  preempted!: Record<string, unknown>[];
  @ApiProperty({
    type: 'array',
    items: LOOSE,
    description:
      "Quota it would borrow from its tenant's cohort beyond its own limits: quota, amount, cohort, from (lenders)",
  })
  borrowing!: Record<string, unknown>[];
  @ApiProperty() reason!: string;
  @ApiProperty({
    ...LOOSE,
    description: 'The scheduler decision record (kind, atMs, seed, inputsDigest, choice)',
  })
  decision!: Record<string, unknown>;
  @ApiProperty({
    type: () => GrantLimitSchema,
    nullable: true,
    description:
      "Which of the caller's grants limit the devices for the kernel (null: nothing narrows it: a platform caller, no kernel, or a grant for any device)",
  })
  grantLimit!: GrantLimitSchema | null;
  @ApiProperty({ example: 'dry run: nothing was reserved, queued or stored' }) changesNothing!: string;
  @ApiProperty({ type: () => SimulateBasisSchema }) basis!: SimulateBasisSchema;
}
