import type { KernelInputs } from '@voxelfleet/contracts';
import type { KernelRunner } from '../kernel-types.js';
import { BadInputError } from './inline-buffer.js';
import type { DecodeLimits, KernelDescriptor, RunContext } from './kernel-descriptor.js';
import { matmulBf16Kernel, matmulF32Kernel, matmulTf32Kernel } from './matmul.kernel.js';
import { motionDiffKernel } from './motion-diff.kernel.js';
import { noopKernel } from './noop.kernel.js';
import { reduceSumKernel } from './reduce-sum.kernel.js';
import { saxpyKernel } from './saxpy.kernel.js';
import { scanExclusiveKernel } from './scan-exclusive.kernel.js';
import { voxelEvidenceKernel } from './voxel-evidence.kernel.js';

/**
 * The built-in kernels every node offers, on the GPU and on the CPU: the one list the gateway
 * checks submissions against, the node decodes and runs from, and metrics label by.
 */
export const BUILTIN_KERNEL_CATALOG = [
  noopKernel,
  saxpyKernel,
  reduceSumKernel,
  scanExclusiveKernel,
  matmulF32Kernel,
  matmulTf32Kernel,
  matmulBf16Kernel,
  motionDiffKernel,
  voxelEvidenceKernel,
] as const;

type AnyBuiltin = (typeof BUILTIN_KERNEL_CATALOG)[number];
type CallOf<D> = D extends KernelDescriptor<infer Call, infer _Result> ? Call : never;
type ResultOf<D> = D extends KernelDescriptor<infer _Call, infer Result> ? Result : never;

export type BuiltinKernel = AnyBuiltin['name'];
/** A built-in kernel call with its inputs decoded and checked: what a runner executes. */
export type KernelCall = CallOf<AnyBuiltin>;
export type KernelResult = ResultOf<AnyBuiltin>;

export const BUILTIN_KERNELS: readonly BuiltinKernel[] = BUILTIN_KERNEL_CATALOG.map((kernel) => kernel.name);

const BY_NAME: ReadonlyMap<string, KernelDescriptor<KernelCall, KernelResult>> = new Map(
  BUILTIN_KERNEL_CATALOG.map((kernel) => [kernel.name, kernel as KernelDescriptor<KernelCall, KernelResult>]),
);

export function isBuiltinKernel(name: string): name is BuiltinKernel {
  return BY_NAME.has(name);
}

function descriptorOf(name: BuiltinKernel): KernelDescriptor<KernelCall, KernelResult> {
  return BY_NAME.get(name)!;
}

/**
 * Checks and decodes a built-in kernel's inputs (see KernelInputs in libs/contracts for the
 * wire encoding). Throws BadInputError naming the field and the reason; the job then fails
 * `bad-input` before anything is reserved or run.
 */
export function decodeKernelCall(kernel: string, inputs: unknown, limits: DecodeLimits): KernelCall {
  if (!isBuiltinKernel(kernel))
    throw new BadInputError('kernel.name', `unknown kernel ${JSON.stringify(kernel)}`);
  if (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs)) {
    throw new BadInputError('inputs', 'must be an object');
  }
  const descriptor = descriptorOf(kernel);
  const given = inputs as KernelInputs;
  const extra = Object.keys(given).find((field) => !Object.hasOwn(descriptor.inputs, field));
  if (extra !== undefined) throw new BadInputError(extra, `is not an input of ${kernel}`);
  return descriptor.decode(given, limits);
}

/**
 * Runs one call on a runner (CPU or CUDA). `noop` has no runner method: the CPU has nothing
 * to do, and a CUDA lane passes its own empty launch.
 */
export function runKernelCall(
  runner: KernelRunner,
  call: KernelCall,
  noop: () => Promise<unknown> = () => Promise.resolve(),
): Promise<KernelResult> {
  const context: RunContext = { noop };
  return descriptorOf(call.kernel).run(runner, call, context);
}

/** The report's `output`: numbers inline, arrays as base64 typed arrays. */
export function encodeKernelResult(result: KernelResult): KernelInputs {
  return descriptorOf(result.kernel).encode(result);
}

/** Work units of a call, the size measure the CPU budget predictor scales its measured nanoseconds-per-unit by. */
export function kernelWorkUnits(call: KernelCall): number {
  return descriptorOf(call.kernel).workUnits(call);
}

/** Bytes the call's buffers take: its host working set and the default VRAM charge. */
export function kernelInputBytes(call: KernelCall): number {
  return descriptorOf(call.kernel).inputBytes(call);
}

/** The buffers a call carries, each once, so a worker message can transfer instead of copying them. */
export function kernelCallBuffers(call: KernelCall): ArrayBuffer[] {
  // Views that share one buffer (cameras sliced from one upload) must be listed once.
  return [
    ...new Set(
      descriptorOf(call.kernel)
        .buffers(call)
        .map((view) => view.buffer as ArrayBuffer),
    ),
  ];
}
