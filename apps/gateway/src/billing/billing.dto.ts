import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDateString,
  IsIn,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

export class DevicePriceDto {
  @ApiProperty({
    example: 'sm_90+',
    description:
      "A device-class expression ('*': any device); a device is priced by the first class it matches",
  })
  @IsString()
  @MaxLength(200)
  deviceClass!: string;

  @ApiProperty({ example: 0.0011, description: 'Price of one GPU-second on such a device' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  perGpuSecond!: number;
}

export class PutPricesDto {
  @ApiProperty({ example: 'EUR', description: 'ISO 4217 code of every price and cost' })
  @IsString()
  @MaxLength(3)
  currency!: string;

  @ApiProperty({ type: [DevicePriceDto], description: 'In order: the first matching class prices a device' })
  @IsArray()
  @ArrayMaxSize(64)
  @ValidateNested({ each: true })
  @Type(() => DevicePriceDto)
  deviceClasses!: DevicePriceDto[];

  @ApiProperty({ example: 0.00002, description: 'Price of one second on the CPU fallback' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  cpuFallbackPerSecond!: number;
}

export class BillingQuery {
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Start of the window (default: start of the UTC day)',
  })
  @IsOptional()
  @IsDateString({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'End of the window (default: now)' })
  @IsOptional()
  @IsDateString({ strict: true })
  to?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'One tenant (tenant principals: their own only)' })
  @IsOptional()
  @IsUUID()
  tenantId?: string;

  @ApiPropertyOptional({ enum: ['json', 'csv'], description: 'Or send Accept: text/csv' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}
