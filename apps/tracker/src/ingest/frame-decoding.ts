import {
  decodePgm,
  decodePng,
  decodeRawGrey,
  type CameraModel,
  type GreyFrame,
  type MotionPixels,
} from '@voxelfleet/voxel';

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Thrown for an image or motion list that cannot be this camera's; the edge answers 400. */
export class FrameInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FrameInputError';
  }
}

/**
 * One camera's image bytes → grey frame: PNG or binary PGM by their magic, otherwise raw
 * samples (8-bit, or 16-bit little-endian) of exactly the camera's size. The size is checked
 * before a PNG is inflated, so a small file cannot claim a huge raster.
 */
export function decodeCameraImage(bytes: Uint8Array, camera: CameraModel): GreyFrame {
  const label = `camera ${camera.id}`;
  let frame: GreyFrame;
  if (startsWith(bytes, PNG_MAGIC)) {
    if (bytes.length < 24) throw new FrameInputError(`${label}: truncated PNG`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    checkSize(label, view.getUint32(16), view.getUint32(20), camera);
    frame = attempt(label, 'PNG', () => decodePng(bytes));
  } else if (bytes.length >= 2 && bytes[0] === 0x50 && bytes[1] === 0x35) {
    frame = attempt(label, 'PGM', () => decodePgm(bytes));
  } else {
    const size = camera.width * camera.height;
    if (bytes.length === size) frame = decodeRawGrey(bytes, camera.width, camera.height, 8);
    else if (bytes.length === 2 * size) frame = decodeRawGrey(bytes, camera.width, camera.height, 16, true);
    else {
      throw new FrameInputError(
        `${label}: not a PNG, a binary PGM or a raw ${camera.width}x${camera.height} frame (${bytes.length} bytes)`,
      );
    }
  }
  checkSize(label, frame.width, frame.height, camera);
  return frame;
}

function attempt(label: string, format: string, decode: () => GreyFrame): GreyFrame {
  try {
    return decode();
  } catch (error) {
    throw new FrameInputError(`${label}: corrupt ${format}: ${(error as Error).message}`);
  }
}

function checkSize(label: string, width: number, height: number, camera: CameraModel): void {
  if (width !== camera.width || height !== camera.height) {
    throw new FrameInputError(
      `${label}: image is ${width}x${height}, the camera ${camera.width}x${camera.height}`,
    );
  }
}

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}

/** Pre-extracted motion of one camera as JSON: changed pixel indices and optional weights. */
export interface MotionJson {
  indices: number[];
  weights?: number[];
}

export function motionFromJson(input: unknown, camera: CameraModel, at: number): MotionPixels | null {
  const field = `cameras[${at}]`;
  if (input === null) return null;
  if (typeof input !== 'object' || !Array.isArray((input as MotionJson).indices)) {
    throw new FrameInputError(`${field}: must be null or { indices: number[], weights?: number[] }`);
  }
  const { indices, weights } = input as MotionJson;
  const size = camera.width * camera.height;
  if (indices.length > size) throw new FrameInputError(`${field}.indices: more pixels than the image has`);
  if (weights !== undefined && (!Array.isArray(weights) || weights.length !== indices.length)) {
    throw new FrameInputError(`${field}.weights: must have one weight per index`);
  }
  const out: MotionPixels = {
    width: camera.width,
    height: camera.height,
    count: indices.length,
    indices: new Uint32Array(indices.length),
    weights: new Float32Array(indices.length),
  };
  for (let i = 0; i < indices.length; i++) {
    const index = indices[i];
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= size) {
      throw new FrameInputError(`${field}.indices[${i}]: must be an integer pixel index below ${size}`);
    }
    const weight = weights === undefined ? 1 : weights[i];
    if (typeof weight !== 'number' || !Number.isFinite(weight)) {
      throw new FrameInputError(`${field}.weights[${i}]: must be a finite number`);
    }
    out.indices[i] = index;
    out.weights[i] = weight;
  }
  return out;
}
