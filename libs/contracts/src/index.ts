export * from './apps.js';
export * from './voxel-evidence.js';
export * from './transport-events.js';
export * from './jobs.js';
export * from './job-control.js';
export * from './job-states.js';
export * from './track-events.js';
