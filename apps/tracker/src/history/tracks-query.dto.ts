import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';

export class TracksQueryDto {
  @ApiPropertyOptional({ description: 'earliest frame-set time, seconds (inclusive)' })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  from?: number;

  @ApiPropertyOptional({ description: 'latest frame-set time, seconds (inclusive)' })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  to?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  trackId?: number;

  @ApiPropertyOptional({ enum: ['json', 'ndjson', 'csv'] })
  @IsOptional()
  @IsIn(['json', 'ndjson', 'csv'])
  format?: 'json' | 'ndjson' | 'csv';

  @ApiPropertyOptional({ description: 'at most this many points (default 10000, max 100000)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  limit?: number;
}
