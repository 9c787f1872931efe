import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { GeoreferenceDto } from './georeference.dto.js';

export const MAX_CAMERAS = 32;
export const MAX_SIDE = 8192;

export class IntrinsicsDto {
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(1e-6) fx!: number;
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(1e-6) fy!: number;
  @IsNumber({ allowNaN: false, allowInfinity: false }) cx!: number;
  @IsNumber({ allowNaN: false, allowInfinity: false }) cy!: number;
}

export class DistortionDto {
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) k1?: number;
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) k2?: number;
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) p1?: number;
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) p2?: number;
}

export class CameraDto {
  @ApiProperty() @IsString() @Length(1, 64) id!: string;
  @ApiProperty() @IsInt() @Min(1) @Max(MAX_SIDE) width!: number;
  @ApiProperty() @IsInt() @Min(1) @Max(MAX_SIDE) height!: number;
  @ApiProperty({ type: IntrinsicsDto })
  @ValidateNested()
  @Type(() => IntrinsicsDto)
  intrinsics!: IntrinsicsDto;
  @ApiPropertyOptional({ type: DistortionDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => DistortionDto)
  distortion?: DistortionDto;
  @ApiProperty({ description: 'camera centre in world metres [x, y, z]' })
  @IsArray()
  @ArrayMinSize(3)
  @ArrayMaxSize(3)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { each: true })
  position!: number[];
  @ApiPropertyOptional({ description: 'world-to-camera rotation, unit quaternion [w, x, y, z]' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(4)
  @ArrayMaxSize(4)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { each: true })
  quaternion?: number[];
  @ApiPropertyOptional({ description: 'world-to-camera rotation, row-major 3x3 (instead of quaternion)' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(9)
  @ArrayMaxSize(9)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { each: true })
  rotation?: number[];
}

export class CreateRigDto {
  @ApiProperty() @IsString() @Length(1, 128) name!: string;
  @ApiProperty({ type: [CameraDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_CAMERAS)
  @ValidateNested({ each: true })
  @Type(() => CameraDto)
  cameras!: CameraDto[];
  @ApiPropertyOptional({
    type: GeoreferenceDto,
    description: 'where the local frame sits on Earth; tracks are then also given in WGS84',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => GeoreferenceDto)
  georeference?: GeoreferenceDto;
}

export class UpdateRigDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 128) name?: string;
  @ApiPropertyOptional({ type: [CameraDto] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_CAMERAS)
  @ValidateNested({ each: true })
  @Type(() => CameraDto)
  cameras?: CameraDto[];
  @ApiPropertyOptional({
    type: GeoreferenceDto,
    description: 'where the local frame sits on Earth; null removes it',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => GeoreferenceDto)
  georeference?: GeoreferenceDto | null;
}

export class ResolutionDto {
  @IsInt() @Min(1) @Max(MAX_SIDE) width!: number;
  @IsInt() @Min(1) @Max(MAX_SIDE) height!: number;
}

/** A rig from the original projector's metadata.json (which carries no image size). */
export class ImportRigDto {
  @ApiProperty() @IsString() @Length(1, 128) name!: string;
  @ApiProperty({ description: 'the parsed metadata.json: one entry per camera per frame' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200_000)
  @IsObject({ each: true })
  metadata!: object[];
  @ApiProperty({ type: ResolutionDto, description: 'image size of every camera' })
  @ValidateNested()
  @Type(() => ResolutionDto)
  resolution!: ResolutionDto;
  @ApiPropertyOptional({
    type: GeoreferenceDto,
    description: 'where the local frame sits on Earth; tracks are then also given in WGS84',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => GeoreferenceDto)
  georeference?: GeoreferenceDto;
}
