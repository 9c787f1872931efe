import {
  cameraFromOriginal,
  cameraToOriginal,
  type OriginalFrameMetadata,
} from '../camera/original-metadata.js';
import type { CameraModel } from '../camera/camera-model.js';
import { matrixToQuaternion } from '../math/mat3.js';
import type { SyntheticScene, TargetTruth } from './synthetic-scene.js';

/** Image path of a frame, relative to the scene folder. */
export function sceneImageFile(camera: number, frame: number, extension: 'png' | 'pgm'): string {
  return `cam${camera}/frame_${String(frame).padStart(5, '0')}.${extension}`;
}

/** metadata.json entries in the original projector's convention, one per camera per frame. */
export function sceneMetadata(scene: SyntheticScene, extension: 'png' | 'pgm'): OriginalFrameMetadata[] {
  const out: OriginalFrameMetadata[] = [];
  for (let f = 0; f < scene.totalFrames; f++) {
    scene.cameras.forEach((camera, k) =>
      out.push(cameraToOriginal(camera, f, k, sceneImageFile(k, f, extension))),
    );
  }
  return out;
}

export interface GroundTruthDocument {
  fps: number;
  leadInFrames: number;
  targetRadius: number;
  grid: SyntheticScene['grid'];
  frames: { frame: number; t: number; targets: TargetTruth[] }[];
}

export function sceneGroundTruth(scene: SyntheticScene): GroundTruthDocument {
  return {
    fps: scene.options.fps,
    leadInFrames: scene.options.leadInFrames,
    targetRadius: scene.options.targetRadius,
    grid: scene.grid,
    frames: Array.from({ length: scene.totalFrames }, (_, f) => ({
      frame: f,
      t: scene.timeOf(f),
      targets: scene.truthAt(f),
    })),
  };
}

/** The rig with full intrinsics and quaternion poses (what a rig-create request carries). */
export function sceneRig(scene: SyntheticScene): object[] {
  return scene.cameras.map((c) => ({
    id: c.id,
    width: c.width,
    height: c.height,
    intrinsics: c.intrinsics,
    distortion: c.distortion,
    position: c.position,
    quaternion: matrixToQuaternion(c.rotation),
  }));
}

/**
 * Cameras of a rig from metadata.json: each camera's pose from its first frame's entry.
 * `resolutionOf` gives an entry's image size (the metadata does not carry it).
 */
export function rigFromOriginalMetadata(
  entries: OriginalFrameMetadata[],
  resolutionOf: (entry: OriginalFrameMetadata) => [number, number],
): CameraModel[] {
  const first = new Map<number, OriginalFrameMetadata>();
  for (const e of entries) {
    const seen = first.get(e.camera_index);
    if (!seen || e.frame_index < seen.frame_index) first.set(e.camera_index, e);
  }
  return [...first.values()]
    .sort((a, b) => a.camera_index - b.camera_index)
    .map((e) => {
      const [w, h] = resolutionOf(e);
      return cameraFromOriginal(e, w, h);
    });
}
