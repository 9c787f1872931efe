import { ApiProperty } from '@nestjs/swagger';

class DevicePriceSchema {
  @ApiProperty({ example: 'sm_90+' }) deviceClass!: string;
  @ApiProperty({ example: 0.0011 }) perGpuSecond!: number;
}

/** GET and PUT /admin/billing/prices. */
export class PriceSheetSchema {
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @ApiProperty({
    type: [DevicePriceSchema],
    description: 'In order: the first matching class prices a device',
  })
  deviceClasses!: DevicePriceSchema[];
  @ApiProperty({ example: 0.00002 }) cpuFallbackPerSecond!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Null: never set (cost 0)' })
  updatedAt!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) updatedBy!: string | null;
}

class BillingAmountsSchema {
  @ApiProperty({ description: 'GPU-seconds run (seconds times devices held)' }) gpuSeconds!: number;
  @ApiProperty({ description: 'Seconds run on the CPU fallback' }) cpuSeconds!: number;
  @ApiProperty({ description: 'Cost of the run time, in the sheet currency' }) cost!: number;
  @ApiProperty({ description: 'GPU-seconds devices were reserved (placed) but the job was not yet running' })
  idleReservedGpuSeconds!: number;
  @ApiProperty({ description: 'What the idle reserved time would cost at the same prices (not in cost)' })
  idleReservedCost!: number;
}

class BillingLineSchema extends BillingAmountsSchema {
  @ApiProperty({ format: 'uuid' }) tenantId!: string;
  @ApiProperty({
    example: 'sm_90+',
    description: "The price class that billed it, 'cpu-fallback' or 'unpriced'",
  })
  deviceClass!: string;
  @ApiProperty({ description: 'Jobs with time in this line' }) jobs!: number;
}

class TenantBillSchema extends BillingAmountsSchema {
  @ApiProperty({ format: 'uuid' }) tenantId!: string;
}

/** GET /admin/billing as JSON. */
export class BillingReportSchema {
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @ApiProperty({ type: () => PriceSheetSchema }) prices!: PriceSheetSchema;
  @ApiProperty({ type: [BillingLineSchema] }) lines!: BillingLineSchema[];
  @ApiProperty({ type: [TenantBillSchema] }) tenants!: TenantBillSchema[];
}
