import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { CotOutputDto } from './cot-output.dto.js';

export class GridDto {
  @ApiProperty({ description: 'world coordinates of the outer corner of voxel (0,0,0), metres' })
  @IsArray()
  @ArrayMinSize(3)
  @ArrayMaxSize(3)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { each: true })
  origin!: number[];

  @ApiProperty({ description: 'voxel counts along x, y, z' })
  @IsArray()
  @ArrayMinSize(3)
  @ArrayMaxSize(3)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(1024, { each: true })
  dims!: number[];

  @ApiProperty() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(1e-4) voxelSize!: number;

  @ApiPropertyOptional({ enum: ['xyz'] }) @IsOptional() @IsIn(['xyz']) axisOrder?: 'xyz';
}

export class StreamParametersDto {
  @ApiPropertyOptional({ description: 'motion threshold in noise sigmas (default 4)' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.5)
  @Max(100)
  motionThreshold?: number;

  @ApiPropertyOptional({ description: 'frame-sets per evidence window (default 1)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(30)
  windowFrames?: number;

  @ApiPropertyOptional({
    description: 'cameras that must agree on a voxel (default: all of 4 or fewer, 85 % above)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(32)
  minCameras?: number;

  @ApiPropertyOptional({ description: 'confirm a track after M hits ... (default 3)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(30)
  confirmHits?: number;

  @ApiPropertyOptional({ description: '... within the last N frame-sets (default 5)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(30)
  confirmWindow?: number;

  @ApiPropertyOptional({ description: 'nominal frame-sets per second (default 20)' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.1)
  @Max(240)
  fps?: number;
}

export class CreateStreamDto {
  @ApiProperty() @IsString() @Length(1, 128) name!: string;
  @ApiProperty() @IsUUID() rigId!: string;
  @ApiProperty({ type: GridDto }) @ValidateNested() @Type(() => GridDto) grid!: GridDto;
  @ApiPropertyOptional({ type: StreamParametersDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => StreamParametersDto)
  parameters?: StreamParametersDto;
  @ApiPropertyOptional({
    type: CotOutputDto,
    description: 'send tracks as Cursor-on-Target events to a TAK server (needs a georeferenced rig)',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => CotOutputDto)
  cot?: CotOutputDto;
}

export class UpdateStreamDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 128) name?: string;
  @ApiPropertyOptional({ type: StreamParametersDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => StreamParametersDto)
  parameters?: StreamParametersDto;
  @ApiPropertyOptional({
    type: CotOutputDto,
    description:
      'send tracks as Cursor-on-Target events to a TAK server (needs a georeferenced rig); null stops it',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => CotOutputDto)
  cot?: CotOutputDto | null;
}
