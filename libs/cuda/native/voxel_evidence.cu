// voxel.evidence, bit-exact with libs/contracts/src/voxel-evidence.ts. This file is built
// with --fmad=false so every product and sum rounds on its own, in the contract's order.
#include <cuda_runtime.h>

#include "compact.cuh"
#include "kernels.h"

namespace vf {
namespace {

constexpr int kMaxCams = 32;

__global__ void evidenceMasks(int nx, int ny, int nz, double ox, double oy, double oz, double vs,
                              int ncams, const EvidenceCam* __restrict__ cams,
                              uint32_t* __restrict__ dense) {
  __shared__ EvidenceCam sc[kMaxCams];
  for (int k = threadIdx.x; k < ncams * int(sizeof(EvidenceCam) / 8); k += blockDim.x)
    reinterpret_cast<uint64_t*>(sc)[k] = reinterpret_cast<const uint64_t*>(cams)[k];
  __syncthreads();
  const size_t total = size_t(nx) * ny * nz;
  for (size_t v = size_t(blockIdx.x) * blockDim.x + threadIdx.x; v < total;
       v += size_t(gridDim.x) * blockDim.x) {
    const size_t ix = v % nx, rest = v / nx;
    const size_t iy = rest % ny, iz = rest / ny;
    const double X = ox + (double(ix) + 0.5) * vs;
    const double Y = oy + (double(iy) + 0.5) * vs;
    const double Z = oz + (double(iz) + 0.5) * vs;
    uint32_t bits = 0;
    for (int c = 0; c < ncams; ++c) {
      const double* P = sc[c].p;
      const double w = ((P[8] * X + P[9] * Y) + P[10] * Z) + P[11];
      if (!(w > 0)) continue;
      const double u = ((P[0] * X + P[1] * Y) + P[2] * Z) + P[3];
      const double vv = ((P[4] * X + P[5] * Y) + P[6] * Z) + P[7];
      const double px = floor(u / w), py = floor(vv / w);
      if (px >= 0 && px < sc[c].width && py >= 0 && py < sc[c].height) {
        const auto* mask = reinterpret_cast<const uint8_t*>(sc[c].mask);
        if (__ldg(mask + size_t(py) * sc[c].width + size_t(px)) != 0) bits |= 1u << c;
      }
    }
    dense[v] = bits;
  }
}

struct EvidencePred {
  const uint32_t* dense;
  int minCameras;
  uint32_t* outIdx;
  uint32_t* outMask;
  __device__ bool test(size_t i) const { return __popc(dense[i]) >= minCameras; }
  __device__ void emit(size_t i, uint32_t at) const {
    outIdx[at] = uint32_t(i);
    outMask[at] = dense[i];
  }
};

}  // namespace

size_t evidenceScratchBytes(size_t voxels) {
  return align256(voxels * 4) + compactScratchBytes(voxels);
}

cudaError_t launchVoxelEvidence(int nx, int ny, int nz, double ox, double oy, double oz,
                                double voxelSize, int ncams, const EvidenceCam* cams,
                                int minCameras, uint32_t maxOut, uint32_t* outIdx,
                                uint32_t* outMask, uint32_t* count, void* scratch,
                                cudaStream_t s) {
  if (ncams < 1 || ncams > kMaxCams) return cudaErrorInvalidValue;
  const size_t voxels = size_t(nx) * ny * nz;
  auto* dense = static_cast<uint32_t*>(scratch);
  void* compactScratch = static_cast<char*>(scratch) + align256(voxels * 4);
  int dev = 0, sms = 132;
  cudaGetDevice(&dev);
  cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, dev);
  size_t want = (voxels + 255) / 256;
  unsigned blocks = unsigned(want < size_t(sms) * 16 ? (want ? want : 1) : size_t(sms) * 16);
  evidenceMasks<<<blocks, 256, 0, s>>>(nx, ny, nz, ox, oy, oz, voxelSize, ncams, cams, dense);
  cudaError_t err = cudaGetLastError();
  if (err != cudaSuccess) return err;
  EvidencePred pred{dense, minCameras, outIdx, outMask};
  return launchCompact(voxels, pred, maxOut, count, compactScratch, s);
}

}  // namespace vf
