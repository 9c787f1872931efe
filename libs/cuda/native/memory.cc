// Device memory: slabs for the VRAM pool (the only cudaMalloc callers), zero-on-free
// batches, and copies between JS typed arrays and device memory off the JS thread.
#include <vector>

#include "common.h"
#include "gpu_work.h"
#include "kernels.h"

namespace vf {
namespace {

Napi::Value MallocSlab(const Napi::CallbackInfo& info) {
  requireArgs(info, 2, "mallocSlab");
  Napi::Env env = info.Env();
  VF_CHECK(env, cudaSetDevice(intArg(info, 0)), "cudaSetDevice");
  void* p = nullptr;
  cudaError_t err = cudaMalloc(&p, size_t(numArg(info, 1)));
  if (err != cudaSuccess) {
    cudaGetLastError();  // an allocation failure is not sticky; clear it for later calls
    throw cudaFailure(env, err, "cudaMalloc");
  }
  return ptrValue(env, p);
}

Napi::Value FreeSlab(const Napi::CallbackInfo& info) {
  requireArgs(info, 2, "freeSlab");
  Napi::Env env = info.Env();
  VF_CHECK(env, cudaSetDevice(intArg(info, 0)), "cudaSetDevice");
  VF_CHECK(env, cudaFree(ptrArg(info, 1)), "cudaFree");
  return env.Undefined();
}

// zeroRanges(device, Float64Array ptrs, Float64Array lens): enqueues the zeroing on the
// device's zero stream and records the event every later launch and copy waits on.
Napi::Value ZeroRanges(const Napi::CallbackInfo& info) {
  requireArgs(info, 3, "zeroRanges");
  Napi::Env env = info.Env();
  int device = intArg(info, 0);
  auto ptrs = info[1].As<Napi::Float64Array>();
  auto lens = info[2].As<Napi::Float64Array>();
  size_t n = ptrs.ElementLength();
  if (lens.ElementLength() != n) throw makeError(env, "INVALID_ARGUMENT", "zeroRanges: lengths differ");
  std::vector<uint64_t> p(n), l(n);
  for (size_t i = 0; i < n; ++i) p[i] = uint64_t(ptrs[i]), l[i] = uint64_t(lens[i]);
  VF_CHECK(env, cudaSetDevice(device), "cudaSetDevice");
  cudaStream_t zs = zeroStream(device);
  VF_CHECK(env, launchZeroRanges(p.data(), l.data(), int(n), zs), "zeroRanges");
  VF_CHECK(env, cudaEventRecord(zeroEvent(device), zs), "cudaEventRecord");
  return env.Undefined();
}

// The benchmark's baseline: one cudaMalloc + cudaFree pair, as a caller without a pool pays.
Napi::Value RawMallocFree(const Napi::CallbackInfo& info) {
  requireArgs(info, 2, "rawMallocFree");
  Napi::Env env = info.Env();
  VF_CHECK(env, cudaSetDevice(intArg(info, 0)), "cudaSetDevice");
  void* p = nullptr;
  VF_CHECK(env, cudaMalloc(&p, size_t(numArg(info, 1))), "cudaMalloc");
  VF_CHECK(env, cudaFree(p), "cudaFree");
  return env.Undefined();
}

Napi::Value MemInfo(const Napi::CallbackInfo& info) {
  requireArgs(info, 1, "memInfo");
  Napi::Env env = info.Env();
  VF_CHECK(env, cudaSetDevice(intArg(info, 0)), "cudaSetDevice");
  size_t f = 0, t = 0;
  VF_CHECK(env, cudaMemGetInfo(&f, &t), "cudaMemGetInfo");
  Napi::Object o = Napi::Object::New(env);
  o.Set("freeBytes", double(f));
  o.Set("totalBytes", double(t));
  return o;
}

// upload(device, stream, dstPtr, typedArray, timeoutMs) -> Promise<{gpuMs}>
Napi::Value Upload(const Napi::CallbackInfo& info) {
  requireArgs(info, 5, "upload");
  Napi::Env env = info.Env();
  int device = intArg(info, 0);
  cudaStream_t st = streamFor(env, device, intArg(info, 1));
  void* dst = ptrArg(info, 2);
  auto src = info[3].As<Napi::TypedArray>();
  const void* host = static_cast<const uint8_t*>(src.ArrayBuffer().Data()) + src.ByteOffset();
  size_t bytes = src.ByteLength();
  auto* w = new GpuWork(
      env, device, st, numArg(info, 4),
      [=](cudaStream_t s) { return cudaMemcpyAsync(dst, host, bytes, cudaMemcpyHostToDevice, s); },
      "upload");
  w->Keep(src);
  return queue(w);
}

// download(device, stream, srcPtr, bytes, timeoutMs) -> Promise<{gpuMs, value: ArrayBuffer}>
Napi::Value Download(const Napi::CallbackInfo& info) {
  requireArgs(info, 5, "download");
  Napi::Env env = info.Env();
  int device = intArg(info, 0);
  cudaStream_t st = streamFor(env, device, intArg(info, 1));
  const void* src = ptrArg(info, 2);
  size_t bytes = size_t(numArg(info, 3));
  auto buf = Napi::ArrayBuffer::New(env, bytes);
  void* host = buf.Data();
  auto* w = new GpuWork(
      env, device, st, numArg(info, 4),
      [=](cudaStream_t s) { return cudaMemcpyAsync(host, src, bytes, cudaMemcpyDeviceToHost, s); },
      "download");
  w->ResolveWith(buf);
  return queue(w);
}

// copy(device, stream, dstPtr, srcPtr, bytes, repeats, timeoutMs): device-to-device, the
// bandwidth ceiling the memory-bound kernels are measured against.
Napi::Value CopyD2D(const Napi::CallbackInfo& info) {
  requireArgs(info, 7, "copy");
  Napi::Env env = info.Env();
  int device = intArg(info, 0);
  cudaStream_t st = streamFor(env, device, intArg(info, 1));
  void* dst = ptrArg(info, 2);
  const void* src = ptrArg(info, 3);
  size_t bytes = size_t(numArg(info, 4));
  int repeats = intArg(info, 5);
  auto* w = new GpuWork(
      env, device, st, numArg(info, 6),
      [=](cudaStream_t s) {
        for (int r = 0; r < repeats; ++r) {
          cudaError_t e = cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToDevice, s);
          if (e != cudaSuccess) return e;
        }
        return cudaSuccess;
      },
      "copy");
  return queue(w);
}

}  // namespace

void initMemory(Napi::Env env, Napi::Object exports) {
  exports.Set("mallocSlab", Napi::Function::New(env, MallocSlab, "mallocSlab"));
  exports.Set("freeSlab", Napi::Function::New(env, FreeSlab, "freeSlab"));
  exports.Set("zeroRanges", Napi::Function::New(env, ZeroRanges, "zeroRanges"));
  exports.Set("rawMallocFree", Napi::Function::New(env, RawMallocFree, "rawMallocFree"));
  exports.Set("memInfo", Napi::Function::New(env, MemInfo, "memInfo"));
  exports.Set("upload", Napi::Function::New(env, Upload, "upload"));
  exports.Set("download", Napi::Function::New(env, Download, "download"));
  exports.Set("copy", Napi::Function::New(env, CopyD2D, "copy"));
}

}  // namespace vf
