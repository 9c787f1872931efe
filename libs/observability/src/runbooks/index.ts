export * from './runbook-parser.js';
export * from './runbook.types.js';
export * from './detection-steps.js';
