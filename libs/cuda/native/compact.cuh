// Ordered stream compaction shared by motion.diff and voxel.evidence: a count pass per
// tile, an exclusive scan of the tile counts, then a write pass that recomputes the
// predicate and places each survivor at its global rank. Survivors keep ascending index
// order, so the GPU output equals the CPU path's element for element.
#pragma once
#include <cuda_runtime.h>
#include <cstdint>

#include "kernels.h"

namespace vf {

constexpr int kCompactThreads = 256;
constexpr int kCompactItems = 8;  // per thread; a tile is 2048 elements
constexpr size_t kCompactTile = size_t(kCompactThreads) * kCompactItems;

inline size_t align256(size_t b) { return (b + 255) & ~size_t(255); }

// Exclusive scan of one value per thread across a 256-thread block. sh needs 9 words.
__device__ inline uint32_t blockExclusiveScan256(uint32_t v, uint32_t* sh, uint32_t* total) {
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  uint32_t inc = v;
#pragma unroll
  for (int d = 1; d < 32; d <<= 1) {
    uint32_t t = __shfl_up_sync(0xffffffffu, inc, d);
    if (lane >= d) inc += t;
  }
  if (lane == 31) sh[warp] = inc;
  __syncthreads();
  if (threadIdx.x == 0) {
    uint32_t run = 0;
    for (int w = 0; w < kCompactThreads / 32; ++w) {
      uint32_t t = sh[w];
      sh[w] = run;
      run += t;
    }
    sh[8] = run;
  }
  __syncthreads();
  uint32_t r = sh[warp] + inc - v;
  *total = sh[8];
  __syncthreads();  // sh is reused by the caller's next round
  return r;
}

template <typename Pred>
__global__ void compactCount(size_t n, Pred pred, uint32_t* tileCounts) {
  __shared__ uint32_t sh[9];
  const size_t base = size_t(blockIdx.x) * kCompactTile;
  uint32_t c = 0;
#pragma unroll
  for (int it = 0; it < kCompactItems; ++it) {
    size_t i = base + size_t(it) * kCompactThreads + threadIdx.x;
    if (i < n && pred.test(i)) ++c;
  }
  uint32_t total;
  blockExclusiveScan256(c, sh, &total);
  if (threadIdx.x == 0) tileCounts[blockIdx.x] = total;
}

template <typename Pred>
__global__ void compactWrite(size_t n, Pred pred, const uint32_t* tileCounts,
                             const uint32_t* tileOffsets, uint32_t maxOut, uint32_t* count) {
  __shared__ uint32_t sh[9];
  const size_t base = size_t(blockIdx.x) * kCompactTile;
  uint32_t offset = tileOffsets[blockIdx.x];
  for (int it = 0; it < kCompactItems; ++it) {
    size_t i = base + size_t(it) * kCompactThreads + threadIdx.x;
    bool keep = i < n && pred.test(i);
    uint32_t total;
    uint32_t rank = blockExclusiveScan256(keep ? 1u : 0u, sh, &total);
    if (keep && offset + rank < maxOut) pred.emit(i, offset + rank);
    offset += total;
  }
  if (blockIdx.x == gridDim.x - 1 && threadIdx.x == 0)
    *count = tileOffsets[blockIdx.x] + tileCounts[blockIdx.x];
}

inline size_t compactScratchBytes(size_t n) {
  size_t tiles = (n + kCompactTile - 1) / kCompactTile;
  if (tiles == 0) tiles = 1;
  return 2 * align256(tiles * 4) + scanScratchBytes(tiles);
}

template <typename Pred>
cudaError_t launchCompact(size_t n, Pred pred, uint32_t maxOut, uint32_t* count, void* scratch,
                          cudaStream_t s) {
  size_t tiles = (n + kCompactTile - 1) / kCompactTile;
  if (tiles == 0) return cudaMemsetAsync(count, 0, 4, s);
  auto* bytes = static_cast<char*>(scratch);
  auto* counts = reinterpret_cast<uint32_t*>(bytes);
  auto* offsets = reinterpret_cast<uint32_t*>(bytes + align256(tiles * 4));
  void* scanScratch = bytes + 2 * align256(tiles * 4);
  compactCount<<<unsigned(tiles), kCompactThreads, 0, s>>>(n, pred, counts);
  cudaError_t err = cudaGetLastError();
  if (err != cudaSuccess) return err;
  err = launchScanExclusive(tiles, counts, offsets, scanScratch, s);
  if (err != cudaSuccess) return err;
  compactWrite<<<unsigned(tiles), kCompactThreads, 0, s>>>(n, pred, counts, offsets, maxOut,
                                                           count);
  return cudaGetLastError();
}

}  // namespace vf
