// matmul.tf32 and matmul.bf16: C[m,n] = A[m,k] . B[k,n], row-major float32 in and out, on the
// tensor cores. The inputs are rounded to the precision's operand format as they are staged
// in shared memory (tf32: 10 explicit mantissa bits, round to nearest; bf16: 7, round to
// nearest even) and the products accumulate in float32, which is what a user of these
// precisions expects (the CPU path rounds the same way; kernel-cases.ts states the bound).
//
// One block of 8 warps computes a 128x128 tile of C, 32 columns of k at a time; each warp a
// 64x32 sub-tile (4x2 WMMA fragments of 16x16). The next k-slice is read from global memory
// into registers while the tensor cores work on the current one.
#include <cuda_bf16.h>
#include <cuda_runtime.h>
#include <mma.h>

#include "kernels.h"

namespace vf {
namespace {

using namespace nvcuda;

constexpr int BM = 128, BN = 128, BK = 32;
constexpr int kThreads = 256;
constexpr int WM = 64, WN = 32;  // warp tile: 2 warps down, 4 across

template <typename T>
struct Op;

template <>
struct Op<float> {  // tf32 operands held as float in shared memory
  using Elem = float;
  static constexpr int K = 8;
  using Prec = wmma::precision::tf32;
  __device__ static Elem conv(float x) { return wmma::__float_to_tf32(x); }
};

template <>
struct Op<__nv_bfloat16> {
  using Elem = __nv_bfloat16;
  static constexpr int K = 16;
  using Prec = __nv_bfloat16;
  __device__ static Elem conv(float x) { return __float2bfloat16_rn(x); }
};

template <typename T, bool Vec>
__global__ void __launch_bounds__(kThreads) matmulTc(int m, int n, int k, const float* __restrict__ A,
                                                     const float* __restrict__ B, float* __restrict__ C) {
  using O = Op<T>;
  using E = typename O::Elem;
  // Rows padded by 8 elements: WMMA loads need 16-byte aligned rows and the pad spreads the
  // rows over the shared-memory banks.
  constexpr int LDA = BK + 8, LDB = BN + 8;
  __shared__ __align__(32) E As[BM * LDA];
  __shared__ __align__(32) E Bs[BK * LDB];
  const int warp = threadIdx.x / 32;
  const int wm = (warp / 4) * WM, wn = (warp % 4) * WN;
  const int row0 = blockIdx.y * BM, col0 = blockIdx.x * BN;

  wmma::fragment<wmma::accumulator, 16, 16, O::K, float> acc[WM / 16][WN / 16];
#pragma unroll
  for (int i = 0; i < WM / 16; ++i)
#pragma unroll
    for (int j = 0; j < WN / 16; ++j) wmma::fill_fragment(acc[i][j], 0.0f);

  // Each thread stages 4 float4 of A (128x32) and 4 of B (32x128) per k-slice; with k or n
  // not a multiple of 4 (rows not 16-byte aligned) it reads them element by element.
  float4 ra[4], rb[4];
  auto loadSlice = [&](int k0) {
#pragma unroll
    for (int t = 0; t < 4; ++t) {
      const int q = threadIdx.x + t * kThreads;
      const int ar = row0 + q / (BK / 4), ac = k0 + (q % (BK / 4)) * 4;
      const int br = k0 + q / (BN / 4), bc = col0 + (q % (BN / 4)) * 4;
      if (Vec) {
        ra[t] = (ar < m && ac < k) ? __ldg(reinterpret_cast<const float4*>(A + size_t(ar) * k + ac))
                                   : make_float4(0, 0, 0, 0);
        rb[t] = (br < k && bc < n) ? __ldg(reinterpret_cast<const float4*>(B + size_t(br) * n + bc))
                                   : make_float4(0, 0, 0, 0);
      } else {
        float va[4], vb[4];
#pragma unroll
        for (int e = 0; e < 4; ++e) {
          va[e] = (ar < m && ac + e < k) ? __ldg(A + size_t(ar) * k + ac + e) : 0.0f;
          vb[e] = (br < k && bc + e < n) ? __ldg(B + size_t(br) * n + bc + e) : 0.0f;
        }
        ra[t] = make_float4(va[0], va[1], va[2], va[3]);
        rb[t] = make_float4(vb[0], vb[1], vb[2], vb[3]);
      }
    }
  };
  auto storeSlice = [&]() {
#pragma unroll
    for (int t = 0; t < 4; ++t) {
      const int q = threadIdx.x + t * kThreads;
      E* a = As + (q / (BK / 4)) * LDA + (q % (BK / 4)) * 4;
      a[0] = O::conv(ra[t].x), a[1] = O::conv(ra[t].y), a[2] = O::conv(ra[t].z), a[3] = O::conv(ra[t].w);
      E* b = Bs + (q / (BN / 4)) * LDB + (q % (BN / 4)) * 4;
      b[0] = O::conv(rb[t].x), b[1] = O::conv(rb[t].y), b[2] = O::conv(rb[t].z), b[3] = O::conv(rb[t].w);
    }
  };

  loadSlice(0);
  for (int k0 = 0; k0 < k; k0 += BK) {
    __syncthreads();  // the previous slice's fragments are loaded
    storeSlice();
    __syncthreads();
    if (k0 + BK < k) loadSlice(k0 + BK);  // overlaps the tensor-core work below
#pragma unroll
    for (int kk = 0; kk < BK; kk += O::K) {
      wmma::fragment<wmma::matrix_a, 16, 16, O::K, typename O::Prec, wmma::row_major> fa[WM / 16];
      wmma::fragment<wmma::matrix_b, 16, 16, O::K, typename O::Prec, wmma::row_major> fb[WN / 16];
#pragma unroll
      for (int i = 0; i < WM / 16; ++i) wmma::load_matrix_sync(fa[i], As + (wm + i * 16) * LDA + kk, LDA);
#pragma unroll
      for (int j = 0; j < WN / 16; ++j) wmma::load_matrix_sync(fb[j], Bs + kk * LDB + wn + j * 16, LDB);
#pragma unroll
      for (int i = 0; i < WM / 16; ++i)
#pragma unroll
        for (int j = 0; j < WN / 16; ++j) wmma::mma_sync(acc[i][j], fa[i], fb[j], acc[i][j]);
    }
  }

  // Full 16x16 tiles go straight to C; edge tiles through shared memory with bounds checks.
  __shared__ __align__(32) float edge[8][16 * 16];
#pragma unroll
  for (int i = 0; i < WM / 16; ++i) {
#pragma unroll
    for (int j = 0; j < WN / 16; ++j) {
      const int r = row0 + wm + i * 16, c = col0 + wn + j * 16;
      if (r >= m || c >= n) continue;
      if (r + 16 <= m && c + 16 <= n && n % 8 == 0) {  // 32-byte aligned rows
        wmma::store_matrix_sync(C + size_t(r) * n + c, acc[i][j], n, wmma::mem_row_major);
      } else {
        wmma::store_matrix_sync(edge[warp], acc[i][j], 16, wmma::mem_row_major);
        __syncwarp();
        for (int e = threadIdx.x % 32; e < 256; e += 32) {
          const int rr = r + e / 16, cc = c + e % 16;
          if (rr < m && cc < n) C[size_t(rr) * n + cc] = edge[warp][e];
        }
        __syncwarp();
      }
    }
  }
}

template <typename T>
cudaError_t launch(int m, int n, int k, const float* a, const float* b, float* c, cudaStream_t s) {
  if (m <= 0 || n <= 0) return cudaSuccess;
  const dim3 grid((n + BN - 1) / BN, (m + BM - 1) / BM);
  if (grid.y > 65535) return cudaErrorInvalidValue;
  const bool vec = k % 4 == 0 && n % 4 == 0 && uintptr_t(a) % 16 == 0 && uintptr_t(b) % 16 == 0;
  if (vec) matmulTc<T, true><<<grid, kThreads, 0, s>>>(m, n, k, a, b, c);
  else matmulTc<T, false><<<grid, kThreads, 0, s>>>(m, n, k, a, b, c);
  return cudaGetLastError();
}

}  // namespace

cudaError_t launchMatmulTf32(int m, int n, int k, const float* a, const float* b, float* c, cudaStream_t s) {
  return launch<float>(m, n, k, a, b, c, s);
}

cudaError_t launchMatmulBf16(int m, int n, int k, const float* a, const float* b, float* c, cudaStream_t s) {
  return launch<__nv_bfloat16>(m, n, k, a, b, c, s);
}

}  // namespace vf
