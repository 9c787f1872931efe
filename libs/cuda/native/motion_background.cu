// motion.background: the per-pixel running mean/variance model of libs/voxel's
// BackgroundModel, bit-exact with it. The TypeScript model computes in float64 and stores
// float32; this kernel does the same, with --fmad=false so no product and sum fuse.
#include <cuda_runtime.h>

#include <algorithm>

#include "compact.cuh"
#include "kernels.h"

namespace vf {
namespace {

struct BackgroundParams {
  double k2, minVar, alpha, changedAlpha, initialVar;
  bool init;
};

template <typename T>
__global__ void backgroundUpdate(size_t n, const T* __restrict__ frame, float* __restrict__ mean,
                                 float* __restrict__ var, BackgroundParams p,
                                 uint8_t* __restrict__ changed, float* __restrict__ weight) {
  for (size_t i = size_t(blockIdx.x) * blockDim.x + threadIdx.x; i < n;
       i += size_t(gridDim.x) * blockDim.x) {
    const double x = double(frame[i]);
    if (p.init) {
      mean[i] = float(x);
      var[i] = float(p.initialVar);
      changed[i] = 0;
      continue;
    }
    const double m = mean[i];
    const double d = x - m;
    const double d2 = d * d;
    const double v = var[i];
    const double floorVar = v > p.minVar ? v : p.minVar;
    if (d2 > p.k2 * floorVar) {
      changed[i] = 1;
      weight[i] = float(sqrt(d2 / floorVar));
      mean[i] = float(m + p.changedAlpha * d);
    } else {
      changed[i] = 0;
      mean[i] = float(m + p.alpha * d);
      var[i] = float(v + p.alpha * (d2 - v));
    }
  }
}

struct ChangedPred {
  const uint8_t* changed;
  const float* weight;
  uint32_t* outIdx;
  float* outWeight;
  __device__ bool test(size_t i) const { return changed[i] != 0; }
  __device__ void emit(size_t i, uint32_t at) const {
    outIdx[at] = uint32_t(i);
    outWeight[at] = weight[i];
  }
};

}  // namespace

size_t backgroundScratchBytes(size_t n) {
  return align256(n) + align256(n * 4) + compactScratchBytes(n);
}

cudaError_t launchMotionBackground(size_t n, int bytesPerPixel, const void* frame, float* mean,
                                   float* var, double k2, double minVar, double alpha,
                                   double changedAlpha, double initialVar, bool init,
                                   uint32_t maxOut, uint32_t* outIdx, float* outWeight,
                                   uint32_t* count, void* scratch, cudaStream_t s) {
  auto* bytes = static_cast<char*>(scratch);
  auto* changed = reinterpret_cast<uint8_t*>(bytes);
  auto* weight = reinterpret_cast<float*>(bytes + align256(n));
  void* compactScratch = bytes + align256(n) + align256(n * 4);
  const BackgroundParams p{k2, minVar, alpha, changedAlpha, initialVar, init};
  const unsigned blocks = unsigned(std::min<size_t>((n + 255) / 256, 4096));
  if (bytesPerPixel == 1)
    backgroundUpdate<<<blocks ? blocks : 1, 256, 0, s>>>(n, static_cast<const uint8_t*>(frame), mean,
                                                         var, p, changed, weight);
  else
    backgroundUpdate<<<blocks ? blocks : 1, 256, 0, s>>>(n, static_cast<const uint16_t*>(frame),
                                                         mean, var, p, changed, weight);
  const cudaError_t err = cudaGetLastError();
  if (err != cudaSuccess) return err;
  return launchCompact(n, ChangedPred{changed, weight, outIdx, outWeight}, maxOut, count,
                       compactScratch, s);
}

}  // namespace vf
