export type Vec3 = [number, number, number];

/** A rig camera as the tracker returns it: world-to-camera quaternion [w, x, y, z]. */
export interface RigCamera {
  id: string;
  width: number;
  height: number;
  intrinsics: { fx: number; fy: number; cx: number; cy: number };
  position: number[];
  quaternion: number[];
}

/** Row-major rotation matrix of a unit quaternion [w, x, y, z]. */
export function quaternionMatrix(q: readonly number[]): number[] {
  const n = Math.hypot(q[0] ?? 1, q[1] ?? 0, q[2] ?? 0, q[3] ?? 0) || 1;
  const [w, x, y, z] = [(q[0] ?? 1) / n, (q[1] ?? 0) / n, (q[2] ?? 0) / n, (q[3] ?? 0) / n];
  return [
    1 - 2 * (y * y + z * z),
    2 * (x * y - w * z),
    2 * (x * z + w * y),
    2 * (x * y + w * z),
    1 - 2 * (x * x + z * z),
    2 * (y * z - w * x),
    2 * (x * z - w * y),
    2 * (y * z + w * x),
    1 - 2 * (x * x + y * y),
  ];
}

/** x_world = Rᵀ · x_cam + C, for the tracker's world-to-camera rotation R. */
function cameraToWorld(r: number[], centre: readonly number[], p: Vec3): Vec3 {
  return [
    r[0]! * p[0] + r[3]! * p[1] + r[6]! * p[2] + centre[0]!,
    r[1]! * p[0] + r[4]! * p[1] + r[7]! * p[2] + centre[1]!,
    r[2]! * p[0] + r[5]! * p[1] + r[8]! * p[2] + centre[2]!,
  ];
}

/**
 * The four image corners pushed out to `depth` metres along the optical axis, in world
 * coordinates, in image order (top-left, top-right, bottom-right, bottom-left). Camera axes
 * are the vision convention the tracker uses: x right, y down, z forward.
 */
export function frustumCorners(camera: RigCamera, depth: number): [Vec3, Vec3, Vec3, Vec3] {
  const r = quaternionMatrix(camera.quaternion);
  const { fx, fy, cx, cy } = camera.intrinsics;
  const corner = (u: number, v: number): Vec3 =>
    cameraToWorld(r, camera.position, [((u - cx) / fx) * depth, ((v - cy) / fy) * depth, depth]);
  return [
    corner(0, 0),
    corner(camera.width, 0),
    corner(camera.width, camera.height),
    corner(0, camera.height),
  ];
}

/** The camera's viewing direction (its +z axis) in world coordinates. */
export function opticalAxis(camera: RigCamera): Vec3 {
  const r = quaternionMatrix(camera.quaternion);
  return [r[6]!, r[7]!, r[8]!];
}

/** Grid bounds from the stream's grid descriptor: [min corner, max corner]. */
export function gridBounds(grid: { origin: number[]; dims: number[]; voxelSize: number }): [Vec3, Vec3] {
  const min: Vec3 = [grid.origin[0] ?? 0, grid.origin[1] ?? 0, grid.origin[2] ?? 0];
  const max: Vec3 = [
    min[0] + (grid.dims[0] ?? 0) * grid.voxelSize,
    min[1] + (grid.dims[1] ?? 0) * grid.voxelSize,
    min[2] + (grid.dims[2] ?? 0) * grid.voxelSize,
  ];
  return [min, max];
}
