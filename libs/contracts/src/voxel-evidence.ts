/**
 * The voxel-evidence kernel interface, shared by the CPU path (libs/voxel) and the CUDA
 * addon (libs/cuda). Both must return the same set of supported voxels, bit for bit.
 *
 * Method (voxel-centric projection): for every voxel centre c = origin + (i + 0.5) * voxelSize
 * (i = [ix, iy, iz]) and every camera k, project [c, 1] with the camera's 3x4 row-major
 * float64 matrix P: u' = ((P0*X + P1*Y) + P2*Z) + P3, likewise v' (row 1) and w' (row 2),
 * evaluated left to right in float64 with no fused multiply-add. If w' > 0, take
 * px = floor(u'/w'), py = floor(v'/w'); if 0 <= px < width and 0 <= py < height and
 * mask[py * width + px] != 0, camera k supports the voxel and bit k of its mask is set.
 * A voxel is reported when popcount(mask) >= minCameras. Because evidence is kept per camera,
 * a voxel near one camera cannot win on that camera's rays alone.
 *
 * Voxel index: ix + nx * (iy + ny * iz) (x fastest). At most 32 cameras per call.
 */
export interface VoxelGridDescriptor {
  /** World coordinates of the outer corner of voxel (0, 0, 0), metres. */
  origin: [number, number, number];
  /** Voxel counts along x, y, z. */
  dims: [number, number, number];
  /** Edge length of one cubic voxel, metres. */
  voxelSize: number;
  /** Memory order of the voxel index; only 'xyz' (x fastest) is defined. */
  axisOrder: 'xyz';
  /** Element type of dense volumes built on this grid. */
  dtype: 'u32-camera-mask' | 'f32' | 'u8';
  /** Descriptor format version. */
  version: 1;
}

export interface EvidenceCamera {
  /** 3x4 row-major projection matrix (intrinsics · [R | t]), float64, undistorted pixels. */
  projection: Float64Array;
  width: number;
  height: number;
  /** width * height bytes, non-zero where the camera saw motion in this time window. */
  mask: Uint8Array;
  /**
   * Optional: the indices (y * width + x) of exactly the mask's non-zero pixels. A GPU path
   * uploads these (4 B per changed pixel) and rebuilds the mask on the device instead of
   * copying width * height bytes; the CPU path reads the mask.
   */
  pixels?: Uint32Array;
}

export interface EvidenceRequest {
  grid: VoxelGridDescriptor;
  cameras: EvidenceCamera[];
  /** Report voxels supported by at least this many cameras (1..cameras.length). */
  minCameras: number;
  /** Upper bound on reported voxels; the result says when it was reached. */
  maxVoxels: number;
}

export interface EvidenceResult {
  /** Voxel indices in ascending order. */
  indices: Uint32Array;
  /** Camera bitmask per reported voxel, aligned with indices. */
  masks: Uint32Array;
  /** True when more than maxVoxels voxels qualified (the lowest indices are kept). */
  truncated: boolean;
}
