import { ApiPropertyOptional } from '@nestjs/swagger';
import { FrameInputError } from '../ingest/frame-decoding.js';

export interface ReplayOptions {
  speed: 'real' | 'max';
  /** Frames per second of the recording (sets t and the pace at real speed). */
  fps?: number;
}

/** Multipart text fields of a replay upload (validated by hand: they arrive as strings). */
export class ReplayFieldsDoc {
  @ApiPropertyOptional({
    enum: ['real', 'max'],
    description: 'play at the recording pace or as fast as possible',
  })
  speed?: string;
  @ApiPropertyOptional({ description: 'frames per second of the recording (default: the stream fps)' })
  fps?: string;
}

export function replayOptions(body: unknown): ReplayOptions {
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((k) => k !== 'speed' && k !== 'fps');
  if (unknown.length > 0) throw new FrameInputError(`${unknown.join(', ')}: unknown field`);
  const speed = fields['speed'] ?? 'max';
  if (speed !== 'real' && speed !== 'max') throw new FrameInputError(`speed: must be 'real' or 'max'`);
  if (fields['fps'] === undefined) return { speed };
  const fps = Number(fields['fps']);
  if (!Number.isFinite(fps) || fps < 0.1 || fps > 240)
    throw new FrameInputError('fps: must be a number in [0.1, 240]');
  return { speed, fps };
}
