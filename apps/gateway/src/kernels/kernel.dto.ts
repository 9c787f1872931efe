import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBase64,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

const PARAM_TYPES = ['ptr', 'u32', 'i32', 'u64', 'i64', 'f32', 'f64'] as const;

export class KernelParamDto {
  @ApiProperty()
  @IsString()
  @Matches(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, { message: 'param name must be an identifier' })
  name!: string;

  @ApiProperty({ enum: PARAM_TYPES })
  @IsIn(PARAM_TYPES)
  type!: (typeof PARAM_TYPES)[number];
}

export class KernelLimitsDto {
  @ApiProperty({ type: [Number], example: [65535, 65535, 64] })
  @IsArray()
  @ArrayMinSize(3)
  @ArrayMaxSize(3)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(2 ** 31 - 1, { each: true })
  maxGrid!: [number, number, number];

  @ApiProperty({ type: [Number], example: [1024, 1024, 64] })
  @IsArray()
  @ArrayMinSize(3)
  @ArrayMaxSize(3)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(1024, { each: true })
  maxBlock!: [number, number, number];

  @ApiProperty({ example: 1024 })
  @IsInt()
  @Min(1)
  @Max(1024)
  maxThreadsPerBlock!: number;

  @ApiProperty({ example: 49152 })
  @IsInt()
  @Min(0)
  @Max(256 * 1024)
  maxSharedBytes!: number;
}

/** libs/cuda's KernelManifest, exactly as signed. */
export class KernelManifestDto {
  @ApiProperty({ example: 'acme.scale' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, { message: 'manifest.name must be a dotted kernel name' })
  @MaxLength(128)
  name!: string;

  @ApiProperty({ example: 'scale' })
  @IsString()
  @Matches(/^[A-Za-z_$][A-Za-z0-9_$]{0,127}$/, { message: 'manifest.entry must be a PTX identifier' })
  entry!: string;

  @ApiProperty()
  @Matches(/^[0-9a-f]{64}$/, { message: 'manifest.ptxSha256 must be 64 lower-case hex digits' })
  ptxSha256!: string;

  @ApiProperty({ type: [KernelParamDto] })
  @IsArray()
  @ArrayMaxSize(64)
  @ValidateNested({ each: true })
  @Type(() => KernelParamDto)
  params!: KernelParamDto[];

  @ApiProperty({ type: KernelLimitsDto })
  @IsObject()
  @ValidateNested()
  @Type(() => KernelLimitsDto)
  limits!: KernelLimitsDto;

  @ApiProperty({ description: 'Which key signed it; registered with this kernel when new' })
  @IsString()
  @Matches(/^[A-Za-z0-9._:-]{1,128}$/, { message: 'manifest.keyId must be 1-128 letters, digits or ._:-' })
  keyId!: string;
}

export class RegisterKernelDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Owning tenant' })
  @IsOptional()
  @IsUUID()
  tenantId?: string;

  @ApiProperty({ description: 'PTX text exactly as signed' })
  @IsString()
  @MaxLength(512 * 1024)
  ptx!: string;

  @ApiProperty({ type: KernelManifestDto })
  @IsObject()
  @ValidateNested()
  @Type(() => KernelManifestDto)
  manifest!: KernelManifestDto;

  @ApiProperty({ description: 'Base64 Ed25519 signature of the canonical JSON of the manifest' })
  @IsString()
  @IsBase64()
  @MaxLength(200)
  signature!: string;

  @ApiProperty({ description: 'SPKI PEM Ed25519 public key of manifest.keyId' })
  @IsString()
  @MaxLength(4096)
  publicKeyPem!: string;
}
