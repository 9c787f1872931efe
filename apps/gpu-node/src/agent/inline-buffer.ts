// Inline buffers are decoded where the built-in kernels' decoders live (libs/cuda, kernels/catalog).
export { BadInputError, decodeBuffer, encodeBuffer, type Dtype, type TypedArrayOf } from '@voxelfleet/cuda';
