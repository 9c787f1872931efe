import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class NodeControlDto {
  @ApiPropertyOptional({ example: 'kernel upgrade', description: 'Why; kept with the state and audited' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}
