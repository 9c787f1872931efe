import type { VoxelGridDescriptor } from '@voxelfleet/contracts';
import { projectionMatrix, type CameraModel } from '../camera/camera-model.js';

/**
 * How many of the cameras have each voxel's centre in view: in front of the camera and inside
 * its ideal (undistorted) image, the pixels the evidence is computed in.
 */
export function countVisibleCameras(cameras: CameraModel[], grid: VoxelGridDescriptor): Uint8Array {
  const [nx, ny, nz] = grid.dims;
  const [ox, oy, oz] = grid.origin;
  const s = grid.voxelSize;
  const counts = new Uint8Array(nx * ny * nz);
  for (const camera of cameras) {
    const p = projectionMatrix(camera);
    const { width, height } = camera;
    let v = 0;
    for (let z = 0; z < nz; z++) {
      const Z = oz + (z + 0.5) * s;
      for (let y = 0; y < ny; y++) {
        const Y = oy + (y + 0.5) * s;
        for (let x = 0; x < nx; x++, v++) {
          const X = ox + (x + 0.5) * s;
          const w = p[8]! * X + p[9]! * Y + p[10]! * Z + p[11]!;
          if (!(w > 0)) continue;
          const u = (p[0]! * X + p[1]! * Y + p[2]! * Z + p[3]!) / w;
          const r = (p[4]! * X + p[5]! * Y + p[6]! * Z + p[7]!) / w;
          if (u >= 0 && r >= 0 && u < width && r < height) counts[v]!++;
        }
      }
    }
  }
  return counts;
}

/**
 * Cameras required per voxel: `minCameras` of the rig, where a camera that cannot see the
 * voxel (out of its view) counts neither for nor against it, so a target at the edge of some
 * views is held to the same standard by the cameras that do see it. Never below `floor`: fewer
 * views than that intersect by coincidence (two cones always meet somewhere near each other).
 * Null when every voxel is in every camera's view (the uniform minCameras applies).
 */
export function requiredSupportPerVoxel(
  visible: Uint8Array,
  cameraCount: number,
  minCameras: number,
  floor: number,
): Uint8Array | null {
  let partial = false;
  const out = new Uint8Array(visible.length);
  for (let v = 0; v < visible.length; v++) {
    const unseen = cameraCount - visible[v]!;
    if (unseen > 0) partial = true;
    out[v] = Math.max(Math.min(floor, minCameras), minCameras - unseen);
  }
  return partial ? out : null;
}
