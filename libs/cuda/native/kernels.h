// Host-side launchers of the built-in kernels. Each enqueues on the given stream and
// returns the launch error; scratch memory comes from the caller (the VRAM pool), sized by
// the matching *ScratchBytes function.
#pragma once
#include <cuda_runtime_api.h>
#include <cstddef>
#include <cstdint>

namespace vf {

constexpr int kMaxZeroRanges = 64;
cudaError_t launchZeroRanges(const uint64_t* ptrs, const uint64_t* lens, int n, cudaStream_t s);

cudaError_t launchSaxpy(size_t n, float a, const float* x, float* y, cudaStream_t s);

size_t reduceScratchBytes(size_t n, int sms);
cudaError_t launchReduceSum(size_t n, const float* x, double* out, void* scratch, int sms,
                            cudaStream_t s);

size_t scanScratchBytes(size_t n);
cudaError_t launchScanExclusive(size_t n, const uint32_t* in, uint32_t* out, void* scratch,
                                cudaStream_t s);

cudaError_t launchMatmulF32(int m, int n, int k, const float* a, const float* b, float* c,
                            cudaStream_t s);
// matmul_tc.cu: the same product on the tensor cores, operands rounded to tf32 or bf16,
// float32 accumulation.
cudaError_t launchMatmulTf32(int m, int n, int k, const float* a, const float* b, float* c, cudaStream_t s);
cudaError_t launchMatmulBf16(int m, int n, int k, const float* a, const float* b, float* c, cudaStream_t s);

// Ordered compaction: changed pixels (|cur - prev| > k * sigma) as ascending indices and
// weights |cur - prev|; count[0] receives the total number that qualified.
size_t motionScratchBytes(size_t n);
cudaError_t launchMotionDiff(size_t n, int bytesPerPixel, const void* prev, const void* cur,
                             const float* sigma, float sigmaScalar, float k, uint32_t maxOut,
                             uint32_t* outIdx, float* outWeight, uint32_t* count, void* scratch,
                             cudaStream_t s);

// Test helpers for the pool's concurrency check: fill words with a tag, count words that
// differ from a tag.
cudaError_t launchFillU32(size_t n, uint32_t* p, uint32_t value, cudaStream_t s);
cudaError_t launchCountNotEqual(size_t n, const uint32_t* p, uint32_t value,
                                unsigned long long* out, cudaStream_t s);
cudaError_t launchNoop(cudaStream_t s);
// motion_background.cu (compiled without FMA contraction): one frame through the background
// model (mean/var float32 per pixel, kept on the device), changed pixels compacted in order.
size_t backgroundScratchBytes(size_t n);
cudaError_t launchMotionBackground(size_t n, int bytesPerPixel, const void* frame, float* mean,
                                   float* var, double k2, double minVar, double alpha,
                                   double changedAlpha, double initialVar, bool init,
                                   uint32_t maxOut, uint32_t* outIdx, float* outWeight,
                                   uint32_t* count, void* scratch, cudaStream_t s);
// Zeroes a byte mask, then sets mask[p] = 1 for each listed pixel p (p >= maskBytes ignored).
cudaError_t launchMaskScatter(size_t n, const uint32_t* pixels, uint8_t* mask, size_t maskBytes,
                              cudaStream_t s);

// voxel_evidence.cu (compiled without FMA contraction).
struct EvidenceCam {
  double p[12];
  uint64_t mask;
  int32_t width, height;
  // Device buffer of evidenceSatWords(width, height) u32 for the coarse pass (a summed-area
  // table of 8x8-pixel motion tiles), or 0 to evaluate every voxel densely.
  uint64_t sat;
  int32_t pad[2];
};
static_assert(sizeof(EvidenceCam) == 128, "camera record is 128 bytes in the wrapper too");
size_t evidenceScratchBytes(size_t voxels);
constexpr int kEvidenceTile = 8;  // pixels per motion tile edge in the coarse pass
inline size_t evidenceSatWords(int width, int height) {
  return size_t((width + kEvidenceTile - 1) / kEvidenceTile + 1) *
         size_t((height + kEvidenceTile - 1) / kEvidenceTile + 1);
}
cudaError_t launchVoxelEvidence(int nx, int ny, int nz, double ox, double oy, double oz,
                                double voxelSize, int ncams, const EvidenceCam* cams,
                                int minCameras, uint32_t maxOut, uint32_t* outIdx,
                                uint32_t* outMask, uint32_t* count, void* scratch,
                                bool coarse, cudaStream_t s);

}  // namespace vf
