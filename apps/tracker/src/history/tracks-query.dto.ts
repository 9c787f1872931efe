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

  @ApiPropertyOptional({
    enum: ['json', 'ndjson', 'csv', 'geojson'],
    description: 'geojson needs a georeferenced rig (one LineString feature per track)',
  })
  @IsOptional()
  @IsIn(['json', 'ndjson', 'csv', 'geojson'])
  format?: 'json' | 'ndjson' | 'csv' | 'geojson';

  @ApiPropertyOptional({ description: 'at most this many points (default 10000, max 100000)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  limit?: number;
}
