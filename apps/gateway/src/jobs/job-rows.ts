// The job-row writer is shared with the tracker, which submits evidence jobs; it lives in
// libs/persistence. Gateway modules and the scheduler bench import it from here.
export { insertJobs, type NewJobRow } from '@voxelfleet/persistence';
