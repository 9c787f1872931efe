// launch(name, device, stream, timeoutMs, repeats, args[]) -> Promise<{gpuMs}>: runs a
// built-in kernel on a stream off the JS thread. Arguments are plain numbers (device
// pointers included); their order per kernel is fixed here and in src/native.ts.
#include <cstring>
#include <vector>

#include "common.h"
#include "gpu_work.h"
#include "kernels.h"

namespace vf {
namespace {

struct Args {
  Napi::Env env;
  std::vector<double> v;
  const char* name;
  void need(size_t n) const {
    if (v.size() != n)
      throw makeError(env, "INVALID_ARGUMENT", std::string(name) + ": expected " +
                                                   std::to_string(n) + " arguments, got " +
                                                   std::to_string(v.size()));
  }
  size_t sz(size_t i) const { return size_t(v[i]); }
  template <typename T>
  T* ptr(size_t i, size_t align = 4) const {
    auto p = uintptr_t(v[i]);
    if (p == 0 || p % align != 0)
      throw makeError(env, "INVALID_ARGUMENT", std::string(name) + ": argument " +
                                                   std::to_string(i) + " is not an aligned device pointer");
    return reinterpret_cast<T*>(p);
  }
};

GpuWork::Enqueue build(const Args& a, int device) {
  const std::string n = a.name;
  if (n == "noop") {
    a.need(0);
    return [](cudaStream_t s) { return launchNoop(s); };
  }
  if (n == "saxpy") {
    a.need(4);
    size_t len = a.sz(0);
    float alpha = float(a.v[1]);
    auto* x = a.ptr<const float>(2, 16);
    auto* y = a.ptr<float>(3, 16);
    return [=](cudaStream_t s) { return launchSaxpy(len, alpha, x, y, s); };
  }
  if (n == "reduce.sum") {
    a.need(4);
    size_t len = a.sz(0);
    auto* x = a.ptr<const float>(1, 16);
    auto* out = a.ptr<double>(2, 8);
    auto* scratch = a.ptr<void>(3, 8);
    int sms = smCount(device);
    return [=](cudaStream_t s) { return launchReduceSum(len, x, out, scratch, sms, s); };
  }
  if (n == "scan.exclusive") {
    a.need(4);
    size_t len = a.sz(0);
    auto* in = a.ptr<const uint32_t>(1);
    auto* out = a.ptr<uint32_t>(2);
    void* scratch = a.v[3] == 0 ? nullptr : a.ptr<void>(3);
    return [=](cudaStream_t s) { return launchScanExclusive(len, in, out, scratch, s); };
  }
  if (n == "matmul.f32") {
    a.need(6);
    int m = int(a.v[0]), nn = int(a.v[1]), k = int(a.v[2]);
    auto* A = a.ptr<const float>(3);
    auto* B = a.ptr<const float>(4);
    auto* C = a.ptr<float>(5);
    return [=](cudaStream_t s) { return launchMatmulF32(m, nn, k, A, B, C, s); };
  }
  if (n == "matmul.tf32" || n == "matmul.bf16") {
    a.need(6);
    int m = int(a.v[0]), nn = int(a.v[1]), k = int(a.v[2]);
    auto* A = a.ptr<const float>(3);
    auto* B = a.ptr<const float>(4);
    auto* C = a.ptr<float>(5);
    if (n == "matmul.tf32") return [=](cudaStream_t s) { return launchMatmulTf32(m, nn, k, A, B, C, s); };
    return [=](cudaStream_t s) { return launchMatmulBf16(m, nn, k, A, B, C, s); };
  }
  if (n == "motion.diff") {
    a.need(12);
    size_t len = a.sz(0);
    int bpp = int(a.v[1]);
    if (bpp != 1 && bpp != 2) throw makeError(a.env, "INVALID_ARGUMENT", "motion.diff: 8 or 16 bit");
    const void* prev = a.ptr<const void>(2, bpp);
    const void* cur = a.ptr<const void>(3, bpp);
    const float* sigma = a.v[4] == 0 ? nullptr : a.ptr<const float>(4);
    float sigmaScalar = float(a.v[5]), k = float(a.v[6]);
    uint32_t maxOut = uint32_t(a.v[7]);
    auto* idx = a.ptr<uint32_t>(8);
    auto* w = a.ptr<float>(9);
    auto* count = a.ptr<uint32_t>(10);
    auto* scratch = a.ptr<void>(11);
    return [=](cudaStream_t s) {
      return launchMotionDiff(len, bpp, prev, cur, sigma, sigmaScalar, k, maxOut, idx, w, count,
                              scratch, s);
    };
  }
  if (n == "voxel.evidence") {
    a.need(16);
    int nx = int(a.v[0]), ny = int(a.v[1]), nz = int(a.v[2]);
    double ox = a.v[3], oy = a.v[4], oz = a.v[5], vs = a.v[6];
    int ncams = int(a.v[7]);
    auto* cams = a.ptr<const EvidenceCam>(8, 8);
    int minCams = int(a.v[9]);
    uint32_t maxOut = uint32_t(a.v[10]);
    auto* idx = a.ptr<uint32_t>(11);
    auto* masks = a.ptr<uint32_t>(12);
    auto* count = a.ptr<uint32_t>(13);
    auto* scratch = a.ptr<void>(14);
    // 1: coarse-to-fine (every camera record carries a motion-tile table); 0: dense.
    const bool coarse = a.v[15] != 0;
    return [=](cudaStream_t s) {
      return launchVoxelEvidence(nx, ny, nz, ox, oy, oz, vs, ncams, cams, minCams, maxOut, idx,
                                 masks, count, scratch, coarse, s);
    };
  }
  if (n == "motion.background") {
    a.need(16);
    size_t len = a.sz(0);
    int bpp = int(a.v[1]);
    if (bpp != 1 && bpp != 2)
      throw makeError(a.env, "INVALID_ARGUMENT", "motion.background: 8 or 16 bit");
    auto* frame = a.ptr<const void>(2, size_t(bpp));
    auto* mean = a.ptr<float>(3);
    auto* var = a.ptr<float>(4);
    double k2 = a.v[5], minVar = a.v[6], alpha = a.v[7], changedAlpha = a.v[8], v0 = a.v[9];
    bool init = a.v[10] != 0;
    uint32_t maxOut = uint32_t(a.v[11]);
    auto* idx = a.ptr<uint32_t>(12);
    auto* w = a.ptr<float>(13);
    auto* count = a.ptr<uint32_t>(14);
    auto* scratch = a.ptr<void>(15);
    return [=](cudaStream_t s) {
      return launchMotionBackground(len, bpp, frame, mean, var, k2, minVar, alpha, changedAlpha, v0,
                                    init, maxOut, idx, w, count, scratch, s);
    };
  }
  if (n == "mask.scatter") {
    a.need(4);
    size_t len = a.sz(0);
    auto* pixels = a.ptr<const uint32_t>(1);
    auto* mask = a.ptr<uint8_t>(2, 1);
    size_t bytes = a.sz(3);
    return [=](cudaStream_t s) { return launchMaskScatter(len, pixels, mask, bytes, s); };
  }
  if (n == "fill.u32") {
    a.need(3);
    size_t len = a.sz(0);
    auto* p = a.ptr<uint32_t>(1);
    uint32_t val = uint32_t(a.v[2]);
    return [=](cudaStream_t s) { return launchFillU32(len, p, val, s); };
  }
  if (n == "count.ne.u32") {
    a.need(4);
    size_t len = a.sz(0);
    auto* p = a.ptr<const uint32_t>(1);
    uint32_t val = uint32_t(a.v[2]);
    auto* out = a.ptr<unsigned long long>(3, 8);
    return [=](cudaStream_t s) { return launchCountNotEqual(len, p, val, out, s); };
  }
  throw makeError(a.env, "INVALID_ARGUMENT", "unknown built-in kernel " + n);
}

Napi::Value Launch(const Napi::CallbackInfo& info) {
  requireArgs(info, 6, "launch");
  Napi::Env env = info.Env();
  std::string name = info[0].As<Napi::String>().Utf8Value();
  int device = intArg(info, 1);
  cudaStream_t st = streamFor(env, device, intArg(info, 2));
  double timeoutMs = numArg(info, 3);
  int repeats = intArg(info, 4);
  auto arr = info[5].As<Napi::Array>();
  Args a{env, {}, name.c_str()};
  for (uint32_t i = 0; i < arr.Length(); ++i) a.v.push_back(arr.Get(i).As<Napi::Number>().DoubleValue());
  GpuWork::Enqueue one = build(a, device);
  GpuWork::Enqueue all = [one, repeats](cudaStream_t s) {
    for (int r = 0; r < repeats; ++r) {
      cudaError_t e = one(s);
      if (e != cudaSuccess) return e;
    }
    return cudaSuccess;
  };
  return queue(new GpuWork(env, device, st, timeoutMs, all, name.c_str()));
}

Napi::Value ScratchBytes(const Napi::CallbackInfo& info) {
  requireArgs(info, 3, "scratchBytes");
  Napi::Env env = info.Env();
  std::string name = info[0].As<Napi::String>().Utf8Value();
  size_t n = size_t(numArg(info, 1));
  int device = intArg(info, 2);
  size_t b = 0;
  if (name == "reduce.sum") b = reduceScratchBytes(n, smCount(device));
  else if (name == "scan.exclusive") b = scanScratchBytes(n);
  else if (name == "motion.diff") b = motionScratchBytes(n);
  else if (name == "motion.background") b = backgroundScratchBytes(n);
  else if (name == "voxel.evidence") b = evidenceScratchBytes(n);
  return Napi::Number::New(env, double(b));
}

}  // namespace

void initLaunch(Napi::Env env, Napi::Object exports) {
  exports.Set("launch", Napi::Function::New(env, Launch, "launch"));
  exports.Set("scratchBytes", Napi::Function::New(env, ScratchBytes, "scratchBytes"));
}

}  // namespace vf
