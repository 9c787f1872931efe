export * from './transport.port.js';
export * from './create-transport.js';
export * from './bullmq/bullmq.transport.js';
export * from './in-process/in-process.transport.js';
