import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_ORIGIN_HEIGHT, MIN_ORIGIN_HEIGHT, type Georeference } from '@voxelfleet/voxel';
import { IsIn, IsNumber, IsOptional, Max, Min } from 'class-validator';

const FINITE = { allowNaN: false, allowInfinity: false };

/** Where the rig's local frame (its cameras' world metres) sits on the WGS84 ellipsoid. */
export class GeoreferenceDto {
  @ApiProperty({ description: 'WGS84 latitude of the local origin, degrees' })
  @IsNumber(FINITE)
  @Min(-90)
  @Max(90)
  latitude!: number;

  @ApiProperty({ description: 'WGS84 longitude of the local origin, degrees' })
  @IsNumber(FINITE)
  @Min(-180)
  @Max(180)
  longitude!: number;

  @ApiProperty({
    description: 'height of the local origin above the WGS84 ellipsoid (not sea level), metres',
  })
  @IsNumber(FINITE)
  @Min(MIN_ORIGIN_HEIGHT)
  @Max(MAX_ORIGIN_HEIGHT)
  height!: number;

  @ApiPropertyOptional({ enum: ['ENU'], description: 'local axes: x east, y north, z up (default)' })
  @IsOptional()
  @IsIn(['ENU'])
  frame?: 'ENU';

  @ApiPropertyOptional({
    description:
      'angle from East to the local +x axis, counter-clockwise seen from above, degrees (default 0)',
  })
  @IsOptional()
  @IsNumber(FINITE)
  @Min(-360)
  @Max(360)
  yawDeg?: number;
}

export function georeferenceFromDto(dto: GeoreferenceDto): Georeference {
  return {
    latitude: dto.latitude,
    longitude: dto.longitude,
    height: dto.height,
    frame: dto.frame ?? 'ENU',
    yawDeg: dto.yawDeg ?? 0,
  };
}
