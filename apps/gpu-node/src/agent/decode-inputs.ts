/**
 * A dispatch's inputs as a checked built-in kernel call. Each kernel's fields, checks and size
 * measures are in its descriptor (libs/cuda, kernels/catalog); this is the node's name for them.
 */
export {
  decodeKernelCall as decodeInputs,
  isBuiltinKernel,
  kernelInputBytes as inputBytes,
  kernelWorkUnits as workUnits,
  type DecodeLimits,
} from '@voxelfleet/cuda';
