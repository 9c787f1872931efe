import type { KernelInputs } from '@voxelfleet/contracts';
import type { DecodeLimits } from './kernel-descriptor.js';
import { BadInputError } from './inline-buffer.js';

/** A finite number input that passes `check`; `what` says what it must be. */
export function numberInput(
  inputs: KernelInputs,
  field: string,
  check: (v: number) => boolean,
  what: string,
): number {
  const v = inputs[field];
  if (v === undefined) throw new BadInputError(field, 'is required');
  if (typeof v !== 'number' || !Number.isFinite(v) || !check(v))
    throw new BadInputError(field, `must be ${what}`);
  return v;
}

/** An integer input in 0..max. */
export const countInput = (inputs: KernelInputs, field: string, max = 2 ** 31 - 1): number =>
  numberInput(inputs, field, (v) => Number.isInteger(v) && v >= 0 && v <= max, `an integer in 0..${max}`);

/** Refuses a call whose result would not fit in a report. */
export function checkOutput(bytes: number, limits: DecodeLimits): void {
  if (bytes > limits.maxOutputBytes) {
    throw new BadInputError(
      'inputs',
      `the result would be ${bytes} bytes, over the ${limits.maxOutputBytes}-byte inline output limit`,
    );
  }
}
