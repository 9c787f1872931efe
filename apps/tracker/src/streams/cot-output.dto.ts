import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DomainError } from '@voxelfleet/platform';
import { COT_TYPE_PATTERN, cotTargetProblems, DEFAULT_COT_TYPE, type CotTarget } from '@voxelfleet/voxel';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';

/** A stream's Cursor-on-Target output as stored with it. */
export interface CotOutput extends CotTarget {
  /** CoT event type of every track (default an unknown-affiliation air track, a-u-A). */
  type: string;
  /** Seconds an event stays valid after it was sent. */
  staleSeconds: number;
}

export const DEFAULT_COT_STALE_SECONDS = 5;

export class CotOutputDto {
  @ApiProperty({ enum: ['udp', 'tcp'] }) @IsIn(['udp', 'tcp']) protocol!: 'udp' | 'tcp';

  @ApiProperty({ description: 'TAK server (or multicast group, UDP only): an IP address or a host name' })
  @IsString()
  @Length(1, 253)
  host!: string;

  @ApiProperty({ description: 'e.g. 8087 (TAK server input) or 6969 (SA multicast)' })
  @IsInt()
  @Min(1)
  @Max(65_535)
  port!: number;

  @ApiPropertyOptional({ description: `CoT event type of the tracks (default ${DEFAULT_COT_TYPE})` })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  @Matches(COT_TYPE_PATTERN, { message: 'type must be a CoT type such as a-u-A' })
  type?: string;

  @ApiPropertyOptional({ description: `seconds an event stays valid (default ${DEFAULT_COT_STALE_SECONDS})` })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(1)
  @Max(3600)
  staleSeconds?: number;
}

/** Checks the address as a whole (what the field decorators cannot) and fills the defaults. */
export function cotOutputFromDto(dto: CotOutputDto): CotOutput {
  const problems = cotTargetProblems(dto);
  if (problems.length > 0) throw new DomainError(400, 'bad_request', problems.join('; '));
  return {
    protocol: dto.protocol,
    host: dto.host,
    port: dto.port,
    type: dto.type ?? DEFAULT_COT_TYPE,
    staleSeconds: dto.staleSeconds ?? DEFAULT_COT_STALE_SECONDS,
  };
}
