// voxel.evidence, fused path (evidence_fused.cu, host side in evidence_step.cc): motion bit
// masks built on the device from the pixel lists, a float32 coarse pass over 8^3-voxel cells,
// a float32 fine pass that falls back to the contract's float64 arithmetic only where the
// float32 answer could differ, and the survivors sorted by voxel index. No dense volume.
#pragma once
#include <cuda_runtime_api.h>
#include <cstddef>
#include <cstdint>

namespace vf {

// One camera of the fused path, built on the host (evidence_step.cc) and read from shared
// memory by every kernel. 256 bytes.
struct FusedCam {
  double p[12];  // the contract's matrix, for the float64 fallback
  // Affine form of u', v', w' in voxel-index space, rounded to float32:
  // a[4r + 0] + a[4r + 1] * ix + a[4r + 2] * iy + a[4r + 3] * iz for row r (u, v, w).
  float a[12];
  // Floor-safety tolerance on u/w and v/w: tolA * (1/w) + tolB, valid while |u/w|, |v/w| <= qMax.
  float tolA[2], tolB[2];
  float wFast;  // w above this: w' > 0 in the contract, and the float32 path applies
  float wNeg;   // w below this: w' <= 0 in the contract
  float qMax;   // |u/w| or |v/w| above this lies outside the image in the contract too
  float pad0;
  uint64_t bits;      // device: height * wordsPerRow u32 words, bit x of row y = motion at (x, y)
  uint64_t sat;       // device: (tilesX + 1) * (tilesY + 1) u32, summed-area table of 8x8 tiles
  uint64_t byteMask;  // device: width * height bytes uploaded for a camera without a pixel list
  int32_t width, height, wordsPerRow, tilesX, tilesY;
  uint32_t pixelStart, pixelCount;  // this camera's slice of the uploaded pixel list
  int32_t pad1[7];
};
static_assert(sizeof(FusedCam) == 256, "FusedCam is 256 bytes");

// Counters the kernels write; read back after the fine pass.
struct FusedCounters {
  uint32_t survivors;       // voxels that qualified (all of them, also past the capacity)
  uint32_t cells;           // candidate cells after the coarse pass
  uint32_t badPixel;        // a pixel index outside its frame was uploaded
  uint32_t pad;
  unsigned long long pairs;      // stats: voxel-camera pairs the fine pass evaluated
  unsigned long long ambiguous;  // stats: pairs whose float32 floor was not certain
  unsigned long long fallback;   // stats: pairs evaluated in float64
  unsigned long long pad2;
};

struct FusedGrid {
  int nx, ny, nz;
  double ox, oy, oz, vs;
};

constexpr int kFusedMaxCams = 32;
constexpr int kFusedCell = 8;
constexpr int kFusedTile = 8;

size_t fusedSortTempBytes(size_t capacity, int endBit);
// Build masks (pixel lists and byte masks), the tile tables, the coarse pass and the fine
// pass, which appends survivors (index, camera bits) in any order to keys/vals up to
// `capacity`; planeCounts[iz] counts survivors per z plane. Only planes iz <= zLimit run.
// bits, sat tables, counters and planeCounts must be zero beforehand. byteMasks: some camera
// sent a byte mask; marks: null, or 3 events to record after the masks, the tile tables and
// the coarse pass (where the time goes).
cudaError_t launchFusedEvidence(const FusedGrid& g, int ncams, const FusedCam* cams, size_t totalPixels,
                                const uint32_t* pixels, int minCameras, uint32_t capacity, uint32_t* keys,
                                uint32_t* vals, uint32_t* cellList, uint32_t* cellBits,
                                FusedCounters* counters, uint32_t* planeCounts, bool stats, int sms,
                                bool byteMasks, const cudaEvent_t* marks, cudaStream_t s);
// Only the fine pass again (after an overflow), for planes iz <= zLimit; counters.survivors
// and planeCounts must be zero, the rest as the first run left them.
cudaError_t launchFusedFine(const FusedGrid& g, int ncams, const FusedCam* cams, int minCameras,
                            uint32_t capacity, uint32_t* keys, uint32_t* vals, const uint32_t* cellList,
                            const uint32_t* cellBits, FusedCounters* counters, uint32_t* planeCounts,
                            int zLimit, bool stats, int sms, cudaStream_t s);
cudaError_t launchFusedSort(void* temp, size_t tempBytes, const uint32_t* keysIn, uint32_t* keysOut,
                            const uint32_t* valsIn, uint32_t* valsOut, int n, int endBit, cudaStream_t s);

}  // namespace vf
