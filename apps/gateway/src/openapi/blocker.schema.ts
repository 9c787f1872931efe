import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { QUOTA_NAMES, type CapacityResource } from '@voxelfleet/scheduling';

const RESOURCES = [
  'device-vram',
  'devices-on-node',
  'cpu-slots',
  'healthy-nodes',
] as const satisfies readonly CapacityResource[];

/**
 * Why a job must wait now (libs/scheduling `Blocker`): a quota it would exceed, or capacity no
 * node offers yet. The fields of the other kind are absent.
 */
class BlockerFieldsSchema {
  @ApiProperty({ enum: ['quota', 'capacity'] }) kind!: 'quota' | 'capacity';
  @ApiProperty({ description: 'One line a person reads' }) message!: string;
  @ApiProperty({ description: 'How much must free up before the job fits' }) shortfall!: number;
  @ApiPropertyOptional({ enum: QUOTA_NAMES, description: 'kind quota: which quota' }) quota?: string;
  @ApiPropertyOptional({ description: 'kind quota: its limit' }) limit?: number;
  @ApiPropertyOptional({ description: 'kind quota: in use now' }) used?: number;
  @ApiPropertyOptional({ description: 'kind quota: what the job asks for' }) requested?: number;
  @ApiPropertyOptional({ enum: RESOURCES, description: 'kind capacity: which resource' }) resource?: string;
  @ApiPropertyOptional({ description: 'kind capacity: what the job needs' }) needed?: number;
  @ApiPropertyOptional({ description: 'kind capacity: the best any eligible node offers now' })
  available?: number;
}

/** A blocker in a job's `pending`, with when it clears by itself (rate window, daily reset). */
export class JobBlockerSchema extends BlockerFieldsSchema {
  @ApiPropertyOptional({ format: 'date-time' }) clearsAt?: string;
}

/** A blocker in a simulation, with when it clears by itself in Unix milliseconds. */
export class SimulatedBlockerSchema extends BlockerFieldsSchema {
  @ApiPropertyOptional() clearsAtMs?: number;
}
