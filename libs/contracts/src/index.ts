export * from './apps.js';
export * from './voxel-evidence.js';
