import type { KernelDescriptor } from './kernel-descriptor.js';

export type NoopCall = { kernel: 'noop' };
export type NoopResult = { kernel: 'noop' };

/**
 * Nothing to compute: what a job costs to schedule, dispatch and report. The CPU has nothing
 * to do; a CUDA lane passes its own empty launch.
 */
export const noopKernel: KernelDescriptor<NoopCall, NoopResult> = {
  name: 'noop',
  inputs: {},
  decode: () => ({ kernel: 'noop' }),
  async run(_runner, _call, context) {
    await context.noop();
    return { kernel: 'noop' };
  },
  encode: () => ({}),
  workUnits: () => 1,
  inputBytes: () => 0,
  buffers: () => [],
};
