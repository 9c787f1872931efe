/**
 * Built-in kernel calls as a runner executes them and a report carries them back; each
 * kernel's part is in its descriptor (libs/cuda, kernels/catalog).
 */
export {
  encodeKernelResult as encodeResult,
  kernelCallBuffers as callBuffers,
  runKernelCall as runKernel,
  type KernelCall,
  type KernelResult,
} from '@voxelfleet/cuda';
