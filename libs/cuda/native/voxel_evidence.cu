// voxel.evidence, bit-exact with libs/contracts/src/voxel-evidence.ts. This file is built
// with --fmad=false so every product and sum rounds on its own, in the contract's order.
#include <cuda_runtime.h>

#include <algorithm>

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

// ---- Coarse-to-fine -------------------------------------------------------------------
// The dense pass above evaluates every voxel against every camera, and float64 arithmetic
// binds it. Most voxels see no motion, so first test cells of kCell^3 voxels: a camera can
// support a voxel of a cell only if the cell's projected footprint (the bounding box of its
// 8 corner centres, widened by a pixel against rounding) holds a motion tile. The footprint
// test reads a summed-area table of 8x8-pixel tiles, so it is O(1) per cell and camera.
// Cells with fewer candidate cameras than minCameras are skipped; the others are evaluated
// voxel by voxel with the contract arithmetic, only for their candidate cameras. The test is
// conservative (a cell any of whose corners lies behind a camera keeps that camera), so the
// result equals the dense pass bit for bit.

constexpr int kCell = 8;

// One bit per 8x8 tile that holds any motion, written at (ty + 1, tx + 1); row/column 0 are 0.
__global__ void satTiles(int ncams, const EvidenceCam* __restrict__ cams) {
  const EvidenceCam& cam = cams[blockIdx.y];
  const int tx = cam.width > 0 ? (cam.width + kEvidenceTile - 1) / kEvidenceTile : 0;
  const int ty = (cam.height + kEvidenceTile - 1) / kEvidenceTile;
  auto* sat = reinterpret_cast<uint32_t*>(cam.sat);
  const auto* mask = reinterpret_cast<const uint8_t*>(cam.mask);
  const int stride = tx + 1;
  const int total = (tx + 1) * (ty + 1);
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < total; i += gridDim.x * blockDim.x) {
    const int cx = i % stride, cy = i / stride;
    uint32_t any = 0;
    if (cx > 0 && cy > 0) {
      const int x0 = (cx - 1) * kEvidenceTile, y0 = (cy - 1) * kEvidenceTile;
      const int x1 = min(x0 + kEvidenceTile, int(cam.width)), y1 = min(y0 + kEvidenceTile, int(cam.height));
      for (int y = y0; y < y1 && !any; ++y)
        for (int x = x0; x < x1; ++x)
          if (__ldg(mask + size_t(y) * cam.width + x) != 0) { any = 1; break; }
    }
    sat[i] = any;
  }
}

// Inclusive prefix sums along rows (dir 0) or columns (dir 1), one warp per line.
__global__ void satScan(const EvidenceCam* __restrict__ cams, int dir) {
  const EvidenceCam& cam = cams[blockIdx.y];
  const int w = (cam.width + kEvidenceTile - 1) / kEvidenceTile + 1;
  const int h = (cam.height + kEvidenceTile - 1) / kEvidenceTile + 1;
  auto* sat = reinterpret_cast<uint32_t*>(cam.sat);
  const int lines = dir == 0 ? h : w, length = dir == 0 ? w : h;
  const int step = dir == 0 ? 1 : w;
  const int lane = threadIdx.x & 31;
  const int warpsPerBlock = blockDim.x / 32;
  for (int line = blockIdx.x * warpsPerBlock + threadIdx.x / 32; line < lines;
       line += gridDim.x * warpsPerBlock) {
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

__device__ inline bool footprintHasMotion(const EvidenceCam& cam, const double* xs, const double* ys,
                                          const double* zs) {
  const double* P = cam.p;
  double umin = 1e300, umax = -1e300, vmin = 1e300, vmax = -1e300;
  for (int k = 0; k < 8; ++k) {
    const double X = xs[k & 1], Y = ys[(k >> 1) & 1], Z = zs[k >> 2];
    const double w = ((P[8] * X + P[9] * Y) + P[10] * Z) + P[11];
    if (!(w > 0)) return true;  // part of the cell is behind the camera: keep it (conservative)
    const double u = (((P[0] * X + P[1] * Y) + P[2] * Z) + P[3]) / w;
    const double v = (((P[4] * X + P[5] * Y) + P[6] * Z) + P[7]) / w;
    umin = fmin(umin, u), umax = fmax(umax, u), vmin = fmin(vmin, v), vmax = fmax(vmax, v);
  }
  const double x0 = fmax(floor(umin) - 1, 0.0), x1 = fmin(floor(umax) + 1, double(cam.width - 1));
  const double y0 = fmax(floor(vmin) - 1, 0.0), y1 = fmin(floor(vmax) + 1, double(cam.height - 1));
  if (!(x0 <= x1) || !(y0 <= y1)) return false;  // the footprint misses the image
  const int tx0 = int(x0) / kEvidenceTile, tx1 = int(x1) / kEvidenceTile;
  const int ty0 = int(y0) / kEvidenceTile, ty1 = int(y1) / kEvidenceTile;
  const int stride = (cam.width + kEvidenceTile - 1) / kEvidenceTile + 1;
  const auto* sat = reinterpret_cast<const uint32_t*>(cam.sat);
  const uint32_t sum = sat[size_t(ty1 + 1) * stride + tx1 + 1] - sat[size_t(ty0) * stride + tx1 + 1] -
                       sat[size_t(ty1 + 1) * stride + tx0] + sat[size_t(ty0) * stride + tx0];
  return sum != 0;
}

__global__ void coarseCells(int nx, int ny, int nz, double ox, double oy, double oz, double vs,
                            int ncams, const EvidenceCam* __restrict__ cams, int minCameras,
                            uint32_t* __restrict__ cellList, uint32_t* __restrict__ cellBits,
                            uint32_t* __restrict__ cellCount) {
  __shared__ EvidenceCam sc[kMaxCams];
  for (int k = threadIdx.x; k < ncams * int(sizeof(EvidenceCam) / 8); k += blockDim.x)
    reinterpret_cast<uint64_t*>(sc)[k] = reinterpret_cast<const uint64_t*>(cams)[k];
  __syncthreads();
  const int cx = (nx + kCell - 1) / kCell, cy = (ny + kCell - 1) / kCell, cz = (nz + kCell - 1) / kCell;
  const size_t cells = size_t(cx) * cy * cz;
  for (size_t c = size_t(blockIdx.x) * blockDim.x + threadIdx.x; c < cells;
       c += size_t(gridDim.x) * blockDim.x) {
    const int ix = int(c % cx) * kCell, iy = int((c / cx) % cy) * kCell, iz = int(c / (size_t(cx) * cy)) * kCell;
    // Corner voxel centres, computed exactly as the voxel pass computes centres.
    const double xs[2] = {ox + (double(ix) + 0.5) * vs, ox + (double(min(ix + kCell - 1, nx - 1)) + 0.5) * vs};
    const double ys[2] = {oy + (double(iy) + 0.5) * vs, oy + (double(min(iy + kCell - 1, ny - 1)) + 0.5) * vs};
    const double zs[2] = {oz + (double(iz) + 0.5) * vs, oz + (double(min(iz + kCell - 1, nz - 1)) + 0.5) * vs};
    uint32_t bits = 0;
    for (int k = 0; k < ncams; ++k)
      if (footprintHasMotion(sc[k], xs, ys, zs)) bits |= 1u << k;
    if (__popc(bits) >= minCameras) {
      const uint32_t at = atomicAdd(cellCount, 1u);
      cellList[at] = uint32_t(c);
      cellBits[at] = bits;
    }
  }
}

// One block of kCell^3 threads per candidate cell; dense must be zero beforehand.
__global__ void __launch_bounds__(kCell* kCell* kCell)
    fineCells(int nx, int ny, int nz, double ox, double oy, double oz, double vs, int ncams,
              const EvidenceCam* __restrict__ cams, const uint32_t* __restrict__ cellList,
              const uint32_t* __restrict__ cellBits, const uint32_t* __restrict__ cellCount,
              uint32_t* __restrict__ dense) {
  __shared__ EvidenceCam sc[kMaxCams];
  for (int k = threadIdx.x; k < ncams * int(sizeof(EvidenceCam) / 8); k += blockDim.x)
    reinterpret_cast<uint64_t*>(sc)[k] = reinterpret_cast<const uint64_t*>(cams)[k];
  __syncthreads();
  const int cx = (nx + kCell - 1) / kCell, cy = (ny + kCell - 1) / kCell;
  const uint32_t n = *cellCount;
  for (uint32_t slot = blockIdx.x; slot < n; slot += gridDim.x) {
    const uint32_t c = cellList[slot];
    const uint32_t candidates = cellBits[slot];
    const int ix = int(c % cx) * kCell + int(threadIdx.x % kCell);
    const int iy = int((c / cx) % cy) * kCell + int((threadIdx.x / kCell) % kCell);
    const int iz = int(c / (uint32_t(cx) * cy)) * kCell + int(threadIdx.x / (kCell * kCell));
    if (ix >= nx || iy >= ny || iz >= nz) continue;
    const double X = ox + (double(ix) + 0.5) * vs;
    const double Y = oy + (double(iy) + 0.5) * vs;
    const double Z = oz + (double(iz) + 0.5) * vs;
    uint32_t bits = 0;
    for (uint32_t left = candidates; left; left &= left - 1) {
      const int k = __ffs(left) - 1;
      const double* P = sc[k].p;
      const double w = ((P[8] * X + P[9] * Y) + P[10] * Z) + P[11];
      if (!(w > 0)) continue;
      const double u = ((P[0] * X + P[1] * Y) + P[2] * Z) + P[3];
      const double vv = ((P[4] * X + P[5] * Y) + P[6] * Z) + P[7];
      const double px = floor(u / w), py = floor(vv / w);
      if (px >= 0 && px < sc[k].width && py >= 0 && py < sc[k].height) {
        const auto* mask = reinterpret_cast<const uint8_t*>(sc[k].mask);
        if (__ldg(mask + size_t(py) * sc[k].width + size_t(px)) != 0) bits |= 1u << k;
      }
    }
    dense[size_t(ix) + size_t(nx) * (size_t(iy) + size_t(ny) * size_t(iz))] = bits;
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

size_t cellCountOf(size_t nx, size_t ny, size_t nz) {
  return ((nx + kCell - 1) / kCell) * ((ny + kCell - 1) / kCell) * ((nz + kCell - 1) / kCell);
}

}  // namespace

// Dense volume, compaction, and the candidate-cell list (bounded; see launchVoxelEvidence).
size_t evidenceScratchBytes(size_t voxels) {
  const size_t cellsBound = voxels / (kCell * kCell * kCell) + 64;
  return align256(voxels * 4) + compactScratchBytes(voxels) + 2 * align256(cellsBound * 4) + 256;
}

cudaError_t launchVoxelEvidence(int nx, int ny, int nz, double ox, double oy, double oz,
                                double voxelSize, int ncams, const EvidenceCam* cams,
                                int minCameras, uint32_t maxOut, uint32_t* outIdx,
                                uint32_t* outMask, uint32_t* count, void* scratch,
                                bool coarse, cudaStream_t s) {
  if (ncams < 1 || ncams > kMaxCams) return cudaErrorInvalidValue;
  const size_t voxels = size_t(nx) * ny * nz;
  auto* bytes = static_cast<char*>(scratch);
  auto* dense = reinterpret_cast<uint32_t*>(bytes);
  void* compactScratch = bytes + align256(voxels * 4);
  const size_t cellsBound = voxels / (kCell * kCell * kCell) + 64;
  char* cellArea = bytes + align256(voxels * 4) + compactScratchBytes(voxels);
  auto* cellList = reinterpret_cast<uint32_t*>(cellArea);
  auto* cellBits = reinterpret_cast<uint32_t*>(cellArea + align256(cellsBound * 4));
  auto* cellCount = reinterpret_cast<uint32_t*>(cellArea + 2 * align256(cellsBound * 4));
  int dev = 0, sms = 132;
  cudaGetDevice(&dev);
  cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, dev);

  const size_t cells = cellCountOf(nx, ny, nz);
  // Thin grids (e.g. 1 x 1 x N) have more cells than the scratch bound; they take the dense pass.
  if (!coarse || cells > cellsBound) {
    size_t want = (voxels + 255) / 256;
    unsigned blocks = unsigned(want < size_t(sms) * 16 ? (want ? want : 1) : size_t(sms) * 16);
    evidenceMasks<<<blocks, 256, 0, s>>>(nx, ny, nz, ox, oy, oz, voxelSize, ncams, cams, dense);
  } else {
    satTiles<<<dim3(64, ncams), 256, 0, s>>>(ncams, cams);
    satScan<<<dim3(16, ncams), 256, 0, s>>>(cams, 0);
    satScan<<<dim3(16, ncams), 256, 0, s>>>(cams, 1);
    cudaError_t err = cudaMemsetAsync(cellCount, 0, 4, s);
    if (err == cudaSuccess) err = cudaMemsetAsync(dense, 0, voxels * 4, s);
    if (err != cudaSuccess) return err;
    const unsigned cellBlocks = unsigned(std::min<size_t>((cells + 127) / 128, size_t(sms) * 16));
    coarseCells<<<cellBlocks ? cellBlocks : 1, 128, 0, s>>>(nx, ny, nz, ox, oy, oz, voxelSize, ncams, cams,
                                                            minCameras, cellList, cellBits, cellCount);
    fineCells<<<unsigned(sms) * 4, kCell * kCell * kCell, 0, s>>>(nx, ny, nz, ox, oy, oz, voxelSize, ncams,
                                                                  cams, cellList, cellBits, cellCount, dense);
  }
  const cudaError_t err = cudaGetLastError();
  if (err != cudaSuccess) return err;
  EvidencePred pred{dense, minCameras, outIdx, outMask};
  return launchCompact(voxels, pred, maxOut, count, compactScratch, s);
}

}  // namespace vf
