// voxel.evidence, fused path: bit-exact with libs/contracts/src/voxel-evidence.ts while doing
// almost all arithmetic in float32.
//
// Why float32 is safe here: the contract's answer for a voxel-camera pair is floor(u'/w') and
// floor(v'/w') (and the sign of w'). The host (evidence_step.cc) bounds, per camera, how far
// the float32 evaluation below can be from the real value, and how far the contract's float64
// evaluation can be from it; `tolA / w + tolB` covers both for the quotient. When
// floor(q - tol) == floor(q + tol), the contract's floor is that integer, whatever its float64
// rounding did. Otherwise (a coordinate within tol of a pixel edge), the pair is decided by
// reading every pixel it could fall in, and only when those differ is it evaluated in float64,
// in the contract's order (this file is built with --fmad=false; the float32 parts use
// explicit __fmaf_rn / directed-rounding intrinsics, which that flag does not touch).
#include <cuda_runtime.h>

#include <cub/device/device_radix_sort.cuh>

#include "evidence_fused.h"

namespace vf {
namespace {

// floor(x) for |x| < 2^22: x + 1.5 * 2^23 rounded down lands on an integer whose float bits
// are those of the magic number plus floor(x).
constexpr float kMagic = 12582912.0f;

__device__ __forceinline__ int floorViaMagic(float x) {
  return __float_as_int(__fadd_rd(x, kMagic)) - __float_as_int(kMagic);
}

__device__ __forceinline__ float rcpApprox(float w) {
  float r;
  asm("rcp.approx.ftz.f32 %0, %1;" : "=f"(r) : "f"(w));
  return r;
}

__device__ __forceinline__ void loadCams(FusedCam* sc, const FusedCam* cams, int ncams) {
  for (int k = threadIdx.x; k < ncams * int(sizeof(FusedCam) / 8); k += blockDim.x)
    reinterpret_cast<uint64_t*>(sc)[k] = reinterpret_cast<const uint64_t*>(cams)[k];
  __syncthreads();
}

__device__ __forceinline__ uint32_t pixelBit(const FusedCam& c, int x, int y) {
  if (unsigned(x) >= unsigned(c.width) || unsigned(y) >= unsigned(c.height)) return 0;
  const auto* bits = reinterpret_cast<const uint32_t*>(c.bits);
  return (__ldg(bits + size_t(y) * c.wordsPerRow + (x >> 5)) >> (x & 31)) & 1u;
}

// The contract, verbatim: float64, left to right, no fused multiply-add.
__device__ __noinline__ uint32_t contractPair(const FusedCam& c, const FusedGrid& g, int ix, int iy, int iz) {
  const double X = g.ox + (double(ix) + 0.5) * g.vs;
  const double Y = g.oy + (double(iy) + 0.5) * g.vs;
  const double Z = g.oz + (double(iz) + 0.5) * g.vs;
  const double* P = c.p;
  const double w = ((P[8] * X + P[9] * Y) + P[10] * Z) + P[11];
  if (!(w > 0)) return 0;
  const double u = ((P[0] * X + P[1] * Y) + P[2] * Z) + P[3];
  const double v = ((P[4] * X + P[5] * Y) + P[6] * Z) + P[7];
  const double px = floor(u / w), py = floor(v / w);
  if (px >= 0 && px < c.width && py >= 0 && py < c.height) return pixelBit(c, int(px), int(py));
  return 0;
}

struct PairStats {
  uint32_t pairs = 0, ambiguous = 0, fallback = 0;
};

// One voxel-camera pair; rowU/V/W hold the affine form up to the ix term.
template <bool Stats>
__device__ __forceinline__ uint32_t evalPair(const FusedCam& c, const FusedGrid& g, float fx, float rowU,
                                             float rowV, float rowW, int ix, int iy, int iz, PairStats& st) {
  if (Stats) ++st.pairs;
  const float w = __fmaf_rn(fx, c.a[9], rowW);
  if (w > c.wFast) {
    const float r = rcpApprox(w);
    const float qx = __fmul_rn(__fmaf_rn(fx, c.a[1], rowU), r);
    const float qy = __fmul_rn(__fmaf_rn(fx, c.a[5], rowV), r);
    // Far outside the image in float32 is outside in the contract too (qMax has the margin).
    if (!(fabsf(qx) <= c.qMax && fabsf(qy) <= c.qMax)) return 0;
    const float tx = __fmaf_rn(c.tolA[0], r, c.tolB[0]);
    const float ty = __fmaf_rn(c.tolA[1], r, c.tolB[1]);
    const int x0 = floorViaMagic(__fsub_rd(qx, tx)), x1 = floorViaMagic(__fadd_ru(qx, tx));
    const int y0 = floorViaMagic(__fsub_rd(qy, ty)), y1 = floorViaMagic(__fadd_ru(qy, ty));
    if (x0 == x1 && y0 == y1) return pixelBit(c, x0, y0);
    if (Stats) ++st.ambiguous;
    if (x1 - x0 <= 1 && y1 - y0 <= 1) {
      // Near a pixel edge: every pixel the contract could pick; one answer if they agree.
      const uint32_t b = pixelBit(c, x0, y0);
      if (b == pixelBit(c, x1, y0) && b == pixelBit(c, x0, y1) && b == pixelBit(c, x1, y1)) return b;
    }
  } else if (w < c.wNeg) {
    return 0;  // behind the camera in the contract too
  }
  if (Stats) ++st.fallback;
  return contractPair(c, g, ix, iy, iz);
}

// ---- masks and motion tiles ---------------------------------------------------------------

__global__ void buildFromPixels(size_t total, const uint32_t* __restrict__ pixels, int ncams,
                                const FusedCam* __restrict__ cams, FusedCounters* counters) {
  __shared__ FusedCam sc[kFusedMaxCams];
  loadCams(sc, cams, ncams);
  for (size_t i = size_t(blockIdx.x) * blockDim.x + threadIdx.x; i < total;
       i += size_t(gridDim.x) * blockDim.x) {
    // The last camera whose slice starts at or before i (empty slices share a start).
    int lo = 0, hi = ncams - 1;
    while (lo < hi) {
      const int mid = (lo + hi + 1) >> 1;
      if (sc[mid].pixelStart <= i) lo = mid;
      else hi = mid - 1;
    }
    const FusedCam& c = sc[lo];
    const uint32_t p = pixels[i];
    if (p >= uint32_t(c.width) * uint32_t(c.height)) {
      counters->badPixel = 1;
      continue;
    }
    const uint32_t y = p / uint32_t(c.width), x = p - y * uint32_t(c.width);
    atomicOr(reinterpret_cast<uint32_t*>(c.bits) + size_t(y) * c.wordsPerRow + (x >> 5), 1u << (x & 31));
    reinterpret_cast<uint32_t*>(c.sat)[size_t(y / kFusedTile + 1) * (c.tilesX + 1) + x / kFusedTile + 1] = 1;
  }
}

// Cameras that sent a byte mask instead of a pixel list: one thread per 32-pixel word.
__global__ void buildFromBytes(const FusedCam* __restrict__ cams) {
  const FusedCam& c = cams[blockIdx.y];
  if (!c.byteMask) return;
  const auto* mask = reinterpret_cast<const uint8_t*>(c.byteMask);
  const size_t words = size_t(c.height) * c.wordsPerRow;
  for (size_t i = size_t(blockIdx.x) * blockDim.x + threadIdx.x; i < words;
       i += size_t(gridDim.x) * blockDim.x) {
    const int y = int(i / c.wordsPerRow), x0 = int(i % c.wordsPerRow) * 32;
    const int n = min(32, c.width - x0);
    uint32_t word = 0;
    for (int b = 0; b < n; ++b) word |= uint32_t(mask[size_t(y) * c.width + x0 + b] != 0) << b;
    reinterpret_cast<uint32_t*>(c.bits)[i] = word;
    if (word) {
      auto* sat = reinterpret_cast<uint32_t*>(c.sat);
      for (int tx = x0 / kFusedTile; tx <= (x0 + n - 1) / kFusedTile; ++tx) {
        const uint32_t part = word >> (tx * kFusedTile - x0);
        if (part & 0xffu) sat[size_t(y / kFusedTile + 1) * (c.tilesX + 1) + tx + 1] = 1;
      }
    }
  }
}

// Inclusive prefix sums of the tile flags along rows (dir 0) or columns (dir 1), a warp a line.
__global__ void satScan(const FusedCam* __restrict__ cams, int dir) {
  const FusedCam& c = cams[blockIdx.y];
  const int w = c.tilesX + 1, h = c.tilesY + 1;
  auto* sat = reinterpret_cast<uint32_t*>(c.sat);
  const int lines = dir == 0 ? h : w, length = dir == 0 ? w : h;
  const int step = dir == 0 ? 1 : w;
  const int lane = threadIdx.x & 31;
  const int warps = blockDim.x / 32;
  for (int line = blockIdx.x * warps + threadIdx.x / 32; line < lines; line += gridDim.x * warps) {
    uint32_t* base = sat + (dir == 0 ? size_t(line) * w : size_t(line));
    uint32_t carry = 0;
    for (int at = 0; at < length; at += 32) {
      const int i = at + lane;
      uint32_t v = i < length ? base[size_t(i) * step] : 0;
#pragma unroll
      for (int d = 1; d < 32; d <<= 1) {
        const uint32_t t = __shfl_up_sync(0xffffffffu, v, d);
        if (lane >= d) v += t;
      }
      v += carry;
      if (i < length) base[size_t(i) * step] = v;
      carry = __shfl_sync(0xffffffffu, v, 31);
    }
  }
}

// ---- coarse pass ----------------------------------------------------------------------------

// Can camera c support any voxel of the cell whose corner voxel indices are xs, ys, zs? The
// voxel centres of a cell lie in the box of its corner centres; with w' > 0 at every corner
// (so inside the box too) their projections lie in the convex hull of the corners'
// projections. The footprint is that hull's bounding box widened by 2 pixels (the float32 and
// float64 errors are each below the per-corner tolerance, checked to be under 1 pixel), and it
// holds motion if its 8x8 tiles do. Conservative: a corner near or behind the camera plane
// keeps the camera, unless every corner is surely behind it.
__device__ bool cellMayHaveMotion(const FusedCam& c, const float* xs, const float* ys, const float* zs) {
  const float* a = c.a;
  float umin = 3e38f, umax = -3e38f, vmin = 3e38f, vmax = -3e38f, tol = 0;
  int behind = 0;
  bool unsure = false;
#pragma unroll
  for (int k = 0; k < 8; ++k) {
    const float X = xs[k & 1], Y = ys[(k >> 1) & 1], Z = zs[k >> 2];
    const float w = __fmaf_rn(X, a[9], __fmaf_rn(Y, a[10], __fmaf_rn(Z, a[11], a[8])));
    if (w < c.wNeg) {
      ++behind;
      continue;
    }
    if (!(w > c.wFast)) {
      unsure = true;
      continue;
    }
    const float r = rcpApprox(w);
    float qx = __fmul_rn(__fmaf_rn(X, a[1], __fmaf_rn(Y, a[2], __fmaf_rn(Z, a[3], a[0]))), r);
    float qy = __fmul_rn(__fmaf_rn(X, a[5], __fmaf_rn(Y, a[6], __fmaf_rn(Z, a[7], a[4]))), r);
    // Clamping keeps the box's overlap with the image (qMax lies beyond it on both sides).
    qx = fminf(fmaxf(qx, -c.qMax), c.qMax);
    qy = fminf(fmaxf(qy, -c.qMax), c.qMax);
    umin = fminf(umin, qx), umax = fmaxf(umax, qx), vmin = fminf(vmin, qy), vmax = fmaxf(vmax, qy);
    tol = fmaxf(tol, fmaxf(__fmaf_rn(c.tolA[0], r, c.tolB[0]), __fmaf_rn(c.tolA[1], r, c.tolB[1])));
  }
  if (behind == 8) return false;
  if (behind || unsure || !(tol < 1.0f)) return true;
  const float x0 = fmaxf(floorf(umin) - 2, 0.0f), x1 = fminf(floorf(umax) + 2, float(c.width - 1));
  const float y0 = fmaxf(floorf(vmin) - 2, 0.0f), y1 = fminf(floorf(vmax) + 2, float(c.height - 1));
  if (!(x0 <= x1) || !(y0 <= y1)) return false;
  const int tx0 = int(x0) / kFusedTile, tx1 = int(x1) / kFusedTile;
  const int ty0 = int(y0) / kFusedTile, ty1 = int(y1) / kFusedTile;
  const int stride = c.tilesX + 1;
  const auto* sat = reinterpret_cast<const uint32_t*>(c.sat);
  const uint32_t sum = __ldg(sat + size_t(ty1 + 1) * stride + tx1 + 1) - __ldg(sat + size_t(ty0) * stride + tx1 + 1) -
                       __ldg(sat + size_t(ty1 + 1) * stride + tx0) + __ldg(sat + size_t(ty0) * stride + tx0);
  return sum != 0;
}

__global__ void coarseCells(FusedGrid g, int ncams, const FusedCam* __restrict__ cams, int minCameras,
                            uint32_t* __restrict__ cellList, uint32_t* __restrict__ cellBits,
                            FusedCounters* counters) {
  __shared__ FusedCam sc[kFusedMaxCams];
  loadCams(sc, cams, ncams);
  const int cx = (g.nx + kFusedCell - 1) / kFusedCell, cy = (g.ny + kFusedCell - 1) / kFusedCell;
  const int cz = (g.nz + kFusedCell - 1) / kFusedCell;
  const size_t cells = size_t(cx) * cy * cz;
  for (size_t cell = size_t(blockIdx.x) * blockDim.x + threadIdx.x; cell < cells;
       cell += size_t(gridDim.x) * blockDim.x) {
    const int ix = int(cell % cx) * kFusedCell, iy = int((cell / cx) % cy) * kFusedCell;
    const int iz = int(cell / (size_t(cx) * cy)) * kFusedCell;
    const float xs[2] = {float(ix), float(min(ix + kFusedCell - 1, g.nx - 1))};
    const float ys[2] = {float(iy), float(min(iy + kFusedCell - 1, g.ny - 1))};
    const float zs[2] = {float(iz), float(min(iz + kFusedCell - 1, g.nz - 1))};
    uint32_t bits = 0;
    for (int k = 0; k < ncams; ++k) {
      if (__popc(bits) + (ncams - k) < minCameras) break;
      if (cellMayHaveMotion(sc[k], xs, ys, zs)) bits |= 1u << k;
    }
    if (__popc(bits) >= minCameras) {
      const uint32_t at = atomicAdd(&counters->cells, 1u);
      cellList[at] = uint32_t(cell);
      cellBits[at] = bits;
    }
  }
}

// ---- fine pass ------------------------------------------------------------------------------

// One 8^3 cell per 128 threads: a thread takes 4 consecutive voxels of one x row, so the row's
// y and z terms are computed once per camera. A voxel stops being evaluated once more of its
// candidate cameras have failed it than minCameras allows.
constexpr int kFineThreads = 128;
constexpr int kRun = 4;

template <bool Stats>
__global__ void __launch_bounds__(kFineThreads)
    fineCells(FusedGrid g, int ncams, const FusedCam* __restrict__ cams, int minCameras, uint32_t capacity,
              uint32_t* __restrict__ keys, uint32_t* __restrict__ vals, const uint32_t* __restrict__ cellList,
              const uint32_t* __restrict__ cellBits, FusedCounters* counters, uint32_t* __restrict__ planeCounts,
              int zLimit) {
  __shared__ FusedCam sc[kFusedMaxCams];
  loadCams(sc, cams, ncams);
  const int cx = (g.nx + kFusedCell - 1) / kFusedCell, cy = (g.ny + kFusedCell - 1) / kFusedCell;
  const uint32_t n = counters->cells;
  const int lane = threadIdx.x & 31;
  const int part = threadIdx.x & 1, row = threadIdx.x >> 1;
  PairStats st;
  for (uint32_t slot = blockIdx.x; slot < n; slot += gridDim.x) {
    const uint32_t cell = cellList[slot];
    const uint32_t candidates = cellBits[slot];
    const int ix0 = int(cell % cx) * kFusedCell + part * kRun;
    const int iy = int((cell / cx) % cy) * kFusedCell + (row & 7);
    const int iz = int(cell / (uint32_t(cx) * cy)) * kFusedCell + (row >> 3);
    uint32_t alive = 0;
    if (iy < g.ny && iz < g.nz && iz <= zLimit) {
#pragma unroll
      for (int j = 0; j < kRun; ++j)
        if (ix0 + j < g.nx) alive |= 1u << j;
    }
    const int slack = __popc(candidates) - minCameras;
    uint32_t bits[kRun] = {0, 0, 0, 0};
    int misses[kRun] = {0, 0, 0, 0};
    const float fy = float(iy), fz = float(iz);
    for (uint32_t left = candidates; left && alive; left &= left - 1) {
      const int k = __ffs(left) - 1;
      const FusedCam& c = sc[k];
      const float rowU = __fmaf_rn(fy, c.a[2], __fmaf_rn(fz, c.a[3], c.a[0]));
      const float rowV = __fmaf_rn(fy, c.a[6], __fmaf_rn(fz, c.a[7], c.a[4]));
      const float rowW = __fmaf_rn(fy, c.a[10], __fmaf_rn(fz, c.a[11], c.a[8]));
#pragma unroll
      for (int j = 0; j < kRun; ++j) {
        if (!(alive & (1u << j))) continue;
        if (evalPair<Stats>(c, g, float(ix0 + j), rowU, rowV, rowW, ix0 + j, iy, iz, st)) {
          bits[j] |= 1u << k;
        } else if (++misses[j] > slack) {
          alive &= ~(1u << j);
        }
      }
    }
    // alive now marks exactly the voxels with at least minCameras supporting cameras.
    const uint32_t mine = __popc(alive);
    uint32_t incl = mine;
#pragma unroll
    for (int d = 1; d < 32; d <<= 1) {
      const uint32_t t = __shfl_up_sync(0xffffffffu, incl, d);
      if (lane >= d) incl += t;
    }
    const uint32_t warpTotal = __shfl_sync(0xffffffffu, incl, 31);
    if (warpTotal == 0) continue;
    uint32_t base = 0;
    if (lane == 31) base = atomicAdd(&counters->survivors, warpTotal);
    base = __shfl_sync(0xffffffffu, base, 31);
    if (!mine) continue;
    uint32_t at = base + incl - mine;
    const uint32_t rowIndex = uint32_t(g.nx) * (uint32_t(iy) + uint32_t(g.ny) * uint32_t(iz));
#pragma unroll
    for (int j = 0; j < kRun; ++j) {
      if (!(alive & (1u << j))) continue;
      if (at < capacity) {
        keys[at] = rowIndex + uint32_t(ix0 + j);
        vals[at] = bits[j];
      }
      ++at;
    }
    atomicAdd(planeCounts + iz, mine);
  }
  if (Stats) {
    const unsigned pairs = __reduce_add_sync(0xffffffffu, st.pairs);
    const unsigned amb = __reduce_add_sync(0xffffffffu, st.ambiguous);
    const unsigned fb = __reduce_add_sync(0xffffffffu, st.fallback);
    if (lane == 0) {
      atomicAdd(&counters->pairs, (unsigned long long)pairs);
      atomicAdd(&counters->ambiguous, (unsigned long long)amb);
      atomicAdd(&counters->fallback, (unsigned long long)fb);
    }
  }
}

unsigned blocksFor(size_t work, unsigned perBlock, int sms, int perSm) {
  const size_t want = (work + perBlock - 1) / perBlock;
  const size_t cap = size_t(sms) * perSm;
  return unsigned(want == 0 ? 1 : (want < cap ? want : cap));
}

}  // namespace

size_t fusedSortTempBytes(size_t capacity, int endBit) {
  size_t bytes = 0;
  cub::DeviceRadixSort::SortPairs(nullptr, bytes, static_cast<const uint32_t*>(nullptr),
                                  static_cast<uint32_t*>(nullptr), static_cast<const uint32_t*>(nullptr),
                                  static_cast<uint32_t*>(nullptr), int(capacity), 0, endBit);
  return bytes;
}

cudaError_t launchFusedSort(void* temp, size_t tempBytes, const uint32_t* keysIn, uint32_t* keysOut,
                            const uint32_t* valsIn, uint32_t* valsOut, int n, int endBit, cudaStream_t s) {
  if (n <= 0) return cudaSuccess;
  return cub::DeviceRadixSort::SortPairs(temp, tempBytes, keysIn, keysOut, valsIn, valsOut, n, 0, endBit, s);
}

cudaError_t launchFusedFine(const FusedGrid& g, int ncams, const FusedCam* cams, int minCameras,
                            uint32_t capacity, uint32_t* keys, uint32_t* vals, const uint32_t* cellList,
                            const uint32_t* cellBits, FusedCounters* counters, uint32_t* planeCounts,
                            int zLimit, bool stats, int sms, cudaStream_t s) {
  const unsigned blocks = unsigned(sms) * 16;
  if (stats)
    fineCells<true><<<blocks, kFineThreads, 0, s>>>(g, ncams, cams, minCameras, capacity, keys, vals, cellList,
                                                    cellBits, counters, planeCounts, zLimit);
  else
    fineCells<false><<<blocks, kFineThreads, 0, s>>>(g, ncams, cams, minCameras, capacity, keys, vals, cellList,
                                                     cellBits, counters, planeCounts, zLimit);
  return cudaGetLastError();
}

cudaError_t launchFusedEvidence(const FusedGrid& g, int ncams, const FusedCam* cams, size_t totalPixels,
                                const uint32_t* pixels, int minCameras, uint32_t capacity, uint32_t* keys,
                                uint32_t* vals, uint32_t* cellList, uint32_t* cellBits,
                                FusedCounters* counters, uint32_t* planeCounts, bool stats, int sms,
                                bool byteMasks, const cudaEvent_t* marks, cudaStream_t s) {
  if (ncams < 1 || ncams > kFusedMaxCams) return cudaErrorInvalidValue;
  if (totalPixels)
    buildFromPixels<<<blocksFor(totalPixels, 256, sms, 8), 256, 0, s>>>(totalPixels, pixels, ncams, cams, counters);
  if (byteMasks) buildFromBytes<<<dim3(64, ncams), 256, 0, s>>>(cams);
  if (marks) cudaEventRecord(marks[0], s);
  satScan<<<dim3(16, ncams), 256, 0, s>>>(cams, 0);
  satScan<<<dim3(16, ncams), 256, 0, s>>>(cams, 1);
  if (marks) cudaEventRecord(marks[1], s);
  const size_t cells = size_t((g.nx + kFusedCell - 1) / kFusedCell) * ((g.ny + kFusedCell - 1) / kFusedCell) *
                       ((g.nz + kFusedCell - 1) / kFusedCell);
  coarseCells<<<blocksFor(cells, 128, sms, 16), 128, 0, s>>>(g, ncams, cams, minCameras, cellList, cellBits,
                                                             counters);
  if (marks) cudaEventRecord(marks[2], s);
  cudaError_t err = cudaGetLastError();
  if (err != cudaSuccess) return err;
  return launchFusedFine(g, ncams, cams, minCameras, capacity, keys, vals, cellList, cellBits, counters,
                         planeCounts, g.nz, stats, sms, s);
}

}  // namespace vf
