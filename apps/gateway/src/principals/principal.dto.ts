import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDateString,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';
import { ROLES } from '@voxelfleet/auth';

export class CreatePrincipalDto {
  @ApiPropertyOptional({
    format: 'uuid',
    nullable: true,
    description: "Owning tenant; omit for a tenant admin's own tenant, null for a platform principal",
  })
  @IsOptional()
  @IsUUID()
  tenantId?: string | null;

  @ApiProperty({ enum: ['user', 'service'] })
  @IsIn(['user', 'service'])
  kind!: 'user' | 'service';

  @ApiProperty({ example: 'ci-bot' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/, {
    message: 'name must be 1-128 letters, digits or ._@- starting with a letter or digit',
  })
  name!: string;

  @ApiProperty({ enum: ROLES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(5)
  @IsIn(ROLES, { each: true })
  roles!: string[];
}

export class CreateKeyDto {
  @ApiPropertyOptional({ example: 'deploy pipeline' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  label?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'The key stops working at this time' })
  @IsOptional()
  @IsDateString({ strict: true })
  expiresAt?: string;
}

export class ListPrincipalsQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  tenantId?: string;
}
