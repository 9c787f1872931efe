import { projectPoint, worldToCamera, type CameraModel } from '../camera/camera-model.js';
import type { TrackedObject } from '../track/multi-target-tracker.js';

// Module-level aliases: looking up globals such as Math inside hot loops is very slow in
// sandboxed VM contexts (the test runner uses one), and free elsewhere.
const M = Math;

/**
 * Marks, in `mask` (one byte per sensor pixel of `camera`, cleared first), the discs where
 * the tracked objects are at time t: each sphere moved on by its velocity to t, its radius
 * grown by `margin` metres and by half the distance it moved (the prediction's own error).
 * Only objects that cover a pixel of this camera for `coverSeconds` or longer (flying along
 * the line of sight: the disc crosses its own diameter slowly) are marked; the others never
 * hold a pixel steady that long. The background model does not absorb steady foreground
 * under these discs (see RobustBackgroundModel.update).
 */
export function paintHoldMask(
  mask: Uint8Array,
  camera: CameraModel,
  objects: TrackedObject[],
  t: number,
  margin: number,
  coverSeconds: number,
): void {
  const { width, height } = camera;
  mask.fill(0);
  for (const o of objects) {
    const dt = M.max(0, t - o.t);
    const p: [number, number, number] = [
      o.position[0] + o.velocity[0] * dt,
      o.position[1] + o.velocity[1] * dt,
      o.position[2] + o.velocity[2] * dt,
    ];
    const depth = worldToCamera(camera, p)[2];
    const centre = projectPoint(camera, p);
    if (!centre || !(depth > 0)) continue;
    const speed = M.hypot(o.velocity[0], o.velocity[1], o.velocity[2]);
    const r = (camera.intrinsics.fx * (o.radius + margin + 0.5 * speed * dt)) / depth;
    // Image speed, from where the object is a tenth of a second later.
    const later = projectPoint(camera, [
      p[0] + o.velocity[0] * 0.1,
      p[1] + o.velocity[1] * 0.1,
      p[2] + o.velocity[2] * 0.1,
    ]);
    if (later) {
      const pixelsPerSecond = M.hypot(later[0] - centre[0], later[1] - centre[1]) / 0.1;
      if (2 * r < coverSeconds * pixelsPerSecond) continue;
    }
    const r2 = r * r;
    const y0 = M.max(0, M.floor(centre[1] - r));
    const y1 = M.min(height - 1, M.ceil(centre[1] + r));
    for (let y = y0; y <= y1; y++) {
      const dy = y + 0.5 - centre[1];
      const half = r2 - dy * dy;
      if (half < 0) continue;
      const w = M.sqrt(half);
      const x0 = M.max(0, M.floor(centre[0] - w));
      const x1 = M.min(width - 1, M.ceil(centre[0] + w));
      if (x0 <= x1) mask.fill(1, y * width + x0, y * width + x1 + 1);
    }
  }
}
