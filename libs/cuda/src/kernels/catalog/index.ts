export {
  BUILTIN_KERNEL_CATALOG,
  BUILTIN_KERNELS,
  decodeKernelCall,
  encodeKernelResult,
  isBuiltinKernel,
  kernelCallBuffers,
  kernelInputBytes,
  kernelWorkUnits,
  runKernelCall,
  type BuiltinKernel,
  type KernelCall,
  type KernelResult,
} from './builtin-kernels.js';
export type { DecodeLimits, KernelDescriptor, RunContext } from './kernel-descriptor.js';
export { BadInputError, decodeBuffer, encodeBuffer, type Dtype, type TypedArrayOf } from './inline-buffer.js';
