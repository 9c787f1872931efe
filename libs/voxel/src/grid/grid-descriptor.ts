import type { VoxelGridDescriptor } from '@voxelfleet/contracts';
import type { Vec3 } from '../math/mat3.js';

export type { VoxelGridDescriptor };

/** Largest voxel count whose indices fit the contract's Uint32Array. */
const MAX_VOXELS = 2 ** 32;

export function createGridDescriptor(
  origin: Vec3,
  dims: [number, number, number],
  voxelSize: number,
  dtype: VoxelGridDescriptor['dtype'] = 'u32-camera-mask',
): VoxelGridDescriptor {
  const grid: VoxelGridDescriptor = {
    origin: [...origin],
    dims: [...dims],
    voxelSize,
    axisOrder: 'xyz',
    dtype,
    version: 1,
  };
  validateGrid(grid);
  return grid;
}

export function validateGrid(grid: VoxelGridDescriptor): void {
  if (grid.version !== 1 || grid.axisOrder !== 'xyz')
    throw new RangeError('unsupported grid version or axis order');
  if (!(grid.voxelSize > 0) || !Number.isFinite(grid.voxelSize))
    throw new RangeError('voxelSize must be positive');
  if (!grid.origin.every(Number.isFinite)) throw new RangeError('grid origin must be finite');
  if (!grid.dims.every((d) => Number.isInteger(d) && d > 0))
    throw new RangeError('grid dims must be positive integers');
  if (grid.dims[0] * grid.dims[1] * grid.dims[2] > MAX_VOXELS)
    throw new RangeError('grid has more voxels than a u32 index');
}

export function voxelCount(grid: VoxelGridDescriptor): number {
  return grid.dims[0] * grid.dims[1] * grid.dims[2];
}

/** Centre coordinate along one axis, computed exactly as the evidence contract states. */
export function voxelCentreAxis(grid: VoxelGridDescriptor, axis: 0 | 1 | 2, i: number): number {
  return grid.origin[axis] + (i + 0.5) * grid.voxelSize;
}

export function voxelCentre(grid: VoxelGridDescriptor, index: number): Vec3 {
  const [ix, iy, iz] = voxelCoords(grid, index);
  return [voxelCentreAxis(grid, 0, ix), voxelCentreAxis(grid, 1, iy), voxelCentreAxis(grid, 2, iz)];
}

export function voxelIndex(grid: VoxelGridDescriptor, ix: number, iy: number, iz: number): number {
  return ix + grid.dims[0] * (iy + grid.dims[1] * iz);
}

export function voxelCoords(grid: VoxelGridDescriptor, index: number): [number, number, number] {
  const [nx, ny] = grid.dims;
  const ix = index % nx;
  const rest = (index - ix) / nx;
  const iy = rest % ny;
  return [ix, iy, (rest - iy) / ny];
}

/** Continuous grid coordinates (voxel units, corner of voxel 0 at 0) of a world point. */
export function worldToGrid(grid: VoxelGridDescriptor, point: Vec3): Vec3 {
  return [
    (point[0] - grid.origin[0]) / grid.voxelSize,
    (point[1] - grid.origin[1]) / grid.voxelSize,
    (point[2] - grid.origin[2]) / grid.voxelSize,
  ];
}
