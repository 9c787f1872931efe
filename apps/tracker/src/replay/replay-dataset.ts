import { parseOriginalMetadata, type OriginalFrameMetadata } from '@voxelfleet/voxel';
import { FrameInputError } from '../ingest/frame-decoding.js';
import type { UploadedImage } from '../ingest/uploaded-file.js';

export interface ReplayFrameSet {
  frameIndex: number;
  /** One image per rig camera, in camera order. */
  images: UploadedImage[];
}

/**
 * A recorded dataset in the original layout: metadata.json (one entry per camera per frame)
 * plus the images it names. Checks that every frame has an image for every rig camera before
 * anything is played, so a replay does not stop half-way for a missing file.
 */
export function replayDataset(
  metadataBytes: Uint8Array,
  files: UploadedImage[],
  cameraCount: number,
): ReplayFrameSet[] {
  let entries: OriginalFrameMetadata[];
  try {
    entries = parseOriginalMetadata(JSON.parse(new TextDecoder().decode(metadataBytes)) as unknown);
  } catch (error) {
    throw new FrameInputError(`metadata: ${(error as Error).message}`);
  }
  // Multipart filenames lose their folders; the field name keeps the metadata's path.
  const byName = new Map<string, UploadedImage>();
  for (const file of files) {
    byName.set(file.fieldname, file);
    if (!byName.has(file.originalname)) byName.set(file.originalname, file);
  }
  const frames = new Map<number, (UploadedImage | undefined)[]>();
  for (const entry of entries) {
    if (entry.camera_index >= cameraCount) {
      throw new FrameInputError(
        `metadata: camera_index ${entry.camera_index} but the stream's rig has ${cameraCount} cameras`,
      );
    }
    const image = byName.get(entry.image_file);
    if (!image)
      throw new FrameInputError(`images: ${entry.image_file} (named in metadata.json) was not uploaded`);
    let slots = frames.get(entry.frame_index);
    if (!slots) {
      slots = new Array<UploadedImage | undefined>(cameraCount).fill(undefined);
      frames.set(entry.frame_index, slots);
    }
    slots[entry.camera_index] = image;
  }
  const out: ReplayFrameSet[] = [];
  for (const [frameIndex, slots] of [...frames.entries()].sort((a, b) => a[0] - b[0])) {
    const missing = slots.findIndex((s) => s === undefined);
    if (missing >= 0)
      throw new FrameInputError(`metadata: frame ${frameIndex} has no entry for camera ${missing}`);
    out.push({ frameIndex, images: slots as UploadedImage[] });
  }
  if (out.length === 0) throw new FrameInputError('metadata: no frames');
  return out;
}
