import { ApiProperty } from '@nestjs/swagger';
import { QuotaLineSchema } from './tenant.schema.js';

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

class DeviceVramSchema {
  @ApiProperty() totalBytes!: number;
  @ApiProperty() usedBytes!: number;
  @ApiProperty() peakBytes!: number;
  @ApiProperty({ type: Number, nullable: true, description: "The node's VRAM pool on the device" })
  poolCapacityBytes!: number | null;
}

class DeviceAllocationsSchema {
  @ApiProperty() succeeded!: number;
  @ApiProperty() failed!: number;
}

class DeviceOomsSchema {
  @ApiProperty() soft!: number;
  @ApiProperty() hard!: number;
}

/** fleet/gpu-stats.ts DeviceStats. */
class DeviceStatsSchema {
  @ApiProperty() index!: number;
  @ApiProperty() uuid!: string;
  @ApiProperty() name!: string;
  @ApiProperty() healthy!: boolean;
  @ApiProperty({ type: () => DeviceVramSchema }) vram!: DeviceVramSchema;
  @ApiProperty({ type: () => DeviceAllocationsSchema }) allocations!: DeviceAllocationsSchema;
  @ApiProperty({ type: () => DeviceOomsSchema }) ooms!: DeviceOomsSchema;
  @ApiProperty({ type: Number, nullable: true, description: '0..1' }) utilization!: number | null;
  @ApiProperty({ type: Number, nullable: true }) temperatureC!: number | null;
  @ApiProperty({ type: Number, nullable: true }) powerW!: number | null;
  @ApiProperty() throttling!: boolean;
  @ApiProperty() xidErrors!: number;
}

class NodeStatsSchema {
  @ApiProperty() nodeId!: string;
  @ApiProperty({ enum: NODE_STATES }) state!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastHeartbeatAt!: string | null;
  @ApiProperty() cpuFallbacks!: number;
  @ApiProperty() runningJobs!: number;
  @ApiProperty({ type: () => [DeviceStatsSchema] }) devices!: DeviceStatsSchema[];
}

/** GET /admin/gpu/stats (fleet/gpu-stats.ts). */
export class GpuStatsSchema {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: () => FleetTotalsSchema }) totals!: FleetTotalsSchema;
  @ApiProperty({ type: () => [NodeStatsSchema] }) nodes!: NodeStatsSchema[];
}

class TenantUsageNowSchema {
  @ApiProperty() vramBytes!: number;
  @ApiProperty() gpus!: number;
  @ApiProperty() runningJobs!: number;
  @ApiProperty() gpuSecondsToday!: number;
}

class HeldOnDevicesSchema {
  @ApiProperty({ description: "VRAM the nodes' pools hold for the tenant" }) vramBytes!: number;
  @ApiProperty({ description: 'Devices holding any of it' }) devices!: number;
}

/** One row of GET /admin/gpu/tenants (fleet/gpu-admin.controller.ts). */
class GpuTenantSchema {
  @ApiProperty({ format: 'uuid' }) tenantId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() edition!: string;
  @ApiProperty() suspended!: boolean;
  @ApiProperty({ type: () => [QuotaLineSchema] }) quotas!: QuotaLineSchema[];
  @ApiProperty({ type: () => TenantUsageNowSchema }) usage!: TenantUsageNowSchema;
  @ApiProperty({ type: () => HeldOnDevicesSchema }) heldOnDevices!: HeldOnDevicesSchema;
}

/** GET /admin/gpu/tenants; the top consumers stay loose. */
export class GpuTenantsSchema {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() usageSource!: string;
  @ApiProperty({ type: () => [GpuTenantSchema] }) tenants!: GpuTenantSchema[];
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
