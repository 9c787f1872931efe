import { describe, expect, it } from '@jest/globals';
import { CpuKernelRunner } from '../../runtime/cpu-runner.js';
import {
  BUILTIN_KERNEL_CATALOG,
  BUILTIN_KERNELS,
  decodeKernelCall,
  encodeKernelResult,
  isBuiltinKernel,
  kernelCallBuffers,
  runKernelCall,
} from './builtin-kernels.js';
import { BadInputError } from './inline-buffer.js';

const LIMITS = { maxInputBytes: 1 << 20, maxOutputBytes: 1 << 20 };

function refusal(fn: () => unknown): BadInputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof BadInputError) return e;
    throw e;
  }
  throw new Error('expected a BadInputError');
}

describe('the built-in kernel catalog', () => {
  it('lists each kernel once, under the name its calls and results carry', () => {
    expect(new Set(BUILTIN_KERNELS).size).toBe(BUILTIN_KERNEL_CATALOG.length);
    expect(BUILTIN_KERNELS).toContain('voxel.evidence');
    for (const name of BUILTIN_KERNELS) expect(isBuiltinKernel(name)).toBe(true);
    expect(isBuiltinKernel('custom')).toBe(false);
    expect(isBuiltinKernel('toString')).toBe(false);
  });

  it('refuses an unknown kernel and inputs that are not an object, naming the field', () => {
    expect(refusal(() => decodeKernelCall('saxpy2', {}, LIMITS)).field).toBe('kernel.name');
    expect(refusal(() => decodeKernelCall('saxpy', [], LIMITS)).field).toBe('inputs');
  });

  it.each(BUILTIN_KERNELS)('%s refuses a field it does not read, by name', (name) => {
    expect(refusal(() => decodeKernelCall(name, { extra: 1 }, LIMITS)).field).toBe('extra');
    // An inherited property name is not an input either.
    expect(refusal(() => decodeKernelCall(name, { constructor: 1 }, LIMITS)).field).toBe('constructor');
  });

  it.each(BUILTIN_KERNEL_CATALOG.filter((kernel) => Object.keys(kernel.inputs).length > 0))(
    '$name asks for an input its schema lists when given none',
    (kernel) => {
      const missing = refusal(() => decodeKernelCall(kernel.name, {}, LIMITS));
      expect(Object.keys(kernel.inputs)).toContain(missing.field);
    },
  );

  it('decodes, runs on the CPU and encodes a call through its descriptor', async () => {
    const call = decodeKernelCall('saxpy', { a: 2, x: [1, 2], y: [10, 20] }, LIMITS);
    expect(kernelCallBuffers(call)).toHaveLength(2);
    const result = await runKernelCall(new CpuKernelRunner(), call);
    expect(encodeKernelResult(result)).toEqual({
      y: { base64: Buffer.from(new Float32Array([12, 24]).buffer).toString('base64'), dtype: 'f32' },
    });
    const noop = await runKernelCall(new CpuKernelRunner(), decodeKernelCall('noop', {}, LIMITS));
    expect(encodeKernelResult(noop)).toEqual({});
  });
});
