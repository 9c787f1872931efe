import { ApiProperty } from '@nestjs/swagger';

const LOOSE = { type: 'object', additionalProperties: true } as const;
const NODE_STATES = ['ready', 'draining', 'cordoned', 'lost'];

class NodeControlSchema {
  @ApiProperty({ enum: ['ready', 'draining', 'cordoned'] }) state!: string;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ type: String, nullable: true }) updatedBy!: string | null;
}

/** fleet/node-view.ts NodeView. */
export class NodeViewSchema {
  @ApiProperty() nodeId!: string;
  @ApiProperty({ type: String, nullable: true }) hostname!: string | null;
  @ApiProperty({
    enum: NODE_STATES,
    description: "Liveness first, then the operator's state, then the node's own",
  })
  state!: string;
  @ApiProperty({
    type: () => NodeControlSchema,
    nullable: true,
    description: 'What an operator set at the gateway, if anything',
  })
  control!: NodeControlSchema | null;
  @ApiProperty({ type: String, nullable: true, description: 'What the node itself reports' })
  reportedState!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) registeredAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastHeartbeatAt!: string | null;
  @ApiProperty({ type: Number, nullable: true }) heartbeatAgeMs!: number | null;
  @ApiProperty({ ...LOOSE, nullable: true, description: 'cores, load1, slots' })
  cpu!: Record<string, unknown> | null;
  @ApiProperty({
    type: 'array',
    items: LOOSE,
    description:
      'Devices as the node reports them (index, uuid, name, memory, capability, telemetry, pool, healthy)',
  })
  devices!: Record<string, unknown>[];
  @ApiProperty() runningJobs!: number;
  @ApiProperty() fallbacks!: number;
}

export class NodeListSchema {
  @ApiProperty({ type: () => [NodeViewSchema] }) nodes!: NodeViewSchema[];
}

class FleetTotalsSchema {
  @ApiProperty() nodes!: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    description: 'ready, draining, cordoned, lost',
  })
  nodesByState!: Record<string, number>;
  @ApiProperty() devices!: number;
  @ApiProperty() healthyDevices!: number;
  @ApiProperty() vramTotalBytes!: number;
  @ApiProperty() vramUsedBytes!: number;
  @ApiProperty() vramPeakBytes!: number;
  @ApiProperty() allocationsSucceeded!: number;
  @ApiProperty() allocationsFailed!: number;
  @ApiProperty() cpuFallbacks!: number;
  @ApiProperty() softOoms!: number;
  @ApiProperty() hardOoms!: number;
  @ApiProperty({ type: Number, nullable: true }) meanUtilization!: number | null;
  @ApiProperty({ type: Number, nullable: true }) maxTemperatureC!: number | null;
  @ApiProperty() powerW!: number;
  @ApiProperty() runningJobs!: number;
}

class NodeStatsSchema {
  @ApiProperty() nodeId!: string;
  @ApiProperty({ enum: NODE_STATES }) state!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastHeartbeatAt!: string | null;
  @ApiProperty() cpuFallbacks!: number;
  @ApiProperty() runningJobs!: number;
  @ApiProperty({
    type: 'array',
    items: LOOSE,
    description:
      'Per device: index, uuid, name, healthy, vram, allocations, ooms, utilization, temperatureC, powerW, throttling, xidErrors',
  })
  devices!: Record<string, unknown>[];
}

/** GET /admin/gpu/stats (fleet/gpu-stats.ts). */
export class GpuStatsSchema {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: () => FleetTotalsSchema }) totals!: FleetTotalsSchema;
  @ApiProperty({ type: () => [NodeStatsSchema] }) nodes!: NodeStatsSchema[];
}

/**
 * GET /admin/gpu/tenants. Loose: the top-level fields only; each row carries tenantId, name,
 * edition, suspended, quotas, usage and heldOnDevices.
 */
export class GpuTenantsSchema {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() usageSource!: string;
  @ApiProperty({ type: 'array', items: LOOSE, description: 'One row per tenant (loose)' })
  tenants!: Record<string, unknown>[];
  @ApiProperty({
    ...LOOSE,
    description: 'Top five per measure: vramBytes, gpus, gpuSecondsToday, heldVramBytes (loose)',
  })
  topConsumers!: Record<string, unknown>;
}

/** kernels.service.ts KernelView: the registry row without its PTX. */
export class KernelSchema {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) tenantId!: string | null;
  @ApiProperty() name!: string;
  @ApiProperty({ ...LOOSE, description: 'The signed manifest as registered' })
  manifest!: Record<string, unknown>;
  @ApiProperty({ description: 'Ed25519 signature' }) signature!: string;
  @ApiProperty() ptxSha256!: string;
  @ApiProperty() keyId!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) createdBy!: string | null;
}

export class KernelListSchema {
  @ApiProperty({ type: () => [KernelSchema] }) kernels!: KernelSchema[];
}
