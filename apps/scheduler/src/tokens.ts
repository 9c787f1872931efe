export const SCHEDULER_SETTINGS = Symbol('SCHEDULER_SETTINGS');
export const JOB_STORE = Symbol('JOB_STORE');
export const TENANT_VIEW = Symbol('TENANT_VIEW');
export const DISPATCHER = Symbol('DISPATCHER');
export const DECISION_LOG = Symbol('DECISION_LOG');
export const SCHEDULER_METRICS = Symbol('SCHEDULER_METRICS');
export const NODE_HISTORY = Symbol('NODE_HISTORY');
export const ACTIVE_JOBS = Symbol('ACTIVE_JOBS');
