// Custom (signed) PTX kernels. The wrapper verifies the manifest's Ed25519 signature and the
// PTX hash before it calls loadModule; this file only loads, looks up and launches. The
// driver API is reached through the runtime's entry-point query, so the addon never links
// libcuda and still loads on machines without a driver.
#include <cuda.h>

#include <mutex>
#include <vector>

#include "common.h"
#include "gpu_work.h"

namespace vf {
namespace {

struct Driver {
  CUresult (*loadData)(CUmodule*, const void*) = nullptr;
  CUresult (*unload)(CUmodule) = nullptr;
  CUresult (*getFunction)(CUfunction*, CUmodule, const char*) = nullptr;
  CUresult (*launch)(CUfunction, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned,
                     unsigned, CUstream, void**, void**) = nullptr;
  CUresult (*funcAttr)(int*, CUfunction_attribute, CUfunction) = nullptr;
  CUresult (*errorName)(CUresult, const char**) = nullptr;
};

template <typename F>
void entry(Napi::Env env, const char* sym, F& f) {
  void* p = nullptr;
  cudaDriverEntryPointQueryResult q{};
  cudaError_t err = cudaGetDriverEntryPointByVersion(sym, &p, 12000, cudaEnableDefault, &q);
  if (err != cudaSuccess || q != cudaDriverEntryPointSuccess || !p)
    throw makeError(env, "DEVICE_LOST", std::string("driver entry point ") + sym + " unavailable");
  f = reinterpret_cast<F>(p);
}

Driver& driver(Napi::Env env) {
  static Driver d;
  static std::once_flag once;
  static bool ok = false;
  std::call_once(once, [&] {
    try {
      entry(env, "cuModuleLoadData", d.loadData);
      entry(env, "cuModuleUnload", d.unload);
      entry(env, "cuModuleGetFunction", d.getFunction);
      entry(env, "cuLaunchKernel", d.launch);
      entry(env, "cuFuncGetAttribute", d.funcAttr);
      entry(env, "cuGetErrorName", d.errorName);
      ok = true;
    } catch (...) {
    }
  });
  if (!ok) throw makeError(env, "DEVICE_LOST", "CUDA driver API not available");
  return d;
}

std::string driverError(Driver& d, CUresult r, const char* where) {
  const char* name = "CUDA_ERROR";
  if (d.errorName) d.errorName(r, &name);
  return std::string(where) + ": " + name;
}

struct Loaded {
  int device;
  CUmodule module;
};
std::mutex mu;
std::vector<Loaded> modules;
std::vector<CUfunction> functions;

Napi::Value LoadModule(const Napi::CallbackInfo& info) {
  requireArgs(info, 2, "loadModule");
  Napi::Env env = info.Env();
  int device = intArg(info, 0);
  std::string ptx = info[1].As<Napi::String>().Utf8Value();
  Driver& d = driver(env);
  VF_CHECK(env, cudaSetDevice(device), "cudaSetDevice");
  VF_CHECK(env, cudaFree(nullptr), "context init");  // makes the primary context current
  CUmodule m = nullptr;
  CUresult r = d.loadData(&m, ptx.c_str());
  if (r != CUDA_SUCCESS)
    throw makeError(env, r == CUDA_ERROR_OUT_OF_MEMORY ? "HARD_OOM" : "MODULE_LOAD_FAILED",
                    driverError(d, r, "cuModuleLoadData"), int(r));
  std::lock_guard<std::mutex> lock(mu);
  modules.push_back({device, m});
  return Napi::Number::New(env, double(modules.size() - 1));
}

Napi::Value GetFunction(const Napi::CallbackInfo& info) {
  requireArgs(info, 2, "getFunction");
  Napi::Env env = info.Env();
  Driver& d = driver(env);
  std::lock_guard<std::mutex> lock(mu);
  size_t id = size_t(intArg(info, 0));
  if (id >= modules.size() || !modules[id].module)
    throw makeError(env, "INVALID_ARGUMENT", "unknown module");
  std::string name = info[1].As<Napi::String>().Utf8Value();
  CUfunction f = nullptr;
  CUresult r = d.getFunction(&f, modules[id].module, name.c_str());
  if (r != CUDA_SUCCESS)
    throw makeError(env, "MODULE_LOAD_FAILED", driverError(d, r, "cuModuleGetFunction"), int(r));
  functions.push_back(f);
  Napi::Object o = Napi::Object::New(env);
  int maxThreads = 0, regs = 0;
  d.funcAttr(&maxThreads, CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK, f);
  d.funcAttr(&regs, CU_FUNC_ATTRIBUTE_NUM_REGS, f);
  o.Set("id", double(functions.size() - 1));
  o.Set("maxThreadsPerBlock", maxThreads);
  o.Set("registers", regs);
  return o;
}

Napi::Value UnloadModule(const Napi::CallbackInfo& info) {
  requireArgs(info, 1, "unloadModule");
  Napi::Env env = info.Env();
  Driver& d = driver(env);
  std::lock_guard<std::mutex> lock(mu);
  size_t id = size_t(intArg(info, 0));
  if (id < modules.size() && modules[id].module) {
    cudaSetDevice(modules[id].device);
    d.unload(modules[id].module);
    modules[id].module = nullptr;
  }
  return env.Undefined();
}

// launchCustom(device, stream, fnId, [gx,gy,gz], [bx,by,bz], sharedBytes, params: Uint8Array,
//              offsets: Uint32Array, timeoutMs) -> Promise<{gpuMs}>
Napi::Value LaunchCustom(const Napi::CallbackInfo& info) {
  requireArgs(info, 9, "launchCustom");
  Napi::Env env = info.Env();
  Driver& d = driver(env);
  int device = intArg(info, 0);
  cudaStream_t st = streamFor(env, device, intArg(info, 1));
  CUfunction f = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu);
    size_t id = size_t(intArg(info, 2));
    if (id >= functions.size()) throw makeError(env, "INVALID_ARGUMENT", "unknown function");
    f = functions[id];
  }
  auto g = info[3].As<Napi::Array>(), b = info[4].As<Napi::Array>();
  unsigned grid[3], block[3];
  for (uint32_t i = 0; i < 3; ++i) {
    grid[i] = g.Get(i).As<Napi::Number>().Uint32Value();
    block[i] = b.Get(i).As<Napi::Number>().Uint32Value();
  }
  unsigned shmem = info[5].As<Napi::Number>().Uint32Value();
  auto params = info[6].As<Napi::Uint8Array>();
  auto offsets = info[7].As<Napi::Uint32Array>();
  // Copies, so the worker owns its parameter block.
  auto blob = std::make_shared<std::vector<uint8_t>>(params.Data(), params.Data() + params.ByteLength());
  auto offs = std::make_shared<std::vector<uint32_t>>(offsets.Data(), offsets.Data() + offsets.ElementLength());
  for (uint32_t o : *offs)
    if (o >= blob->size()) throw makeError(env, "INVALID_ARGUMENT", "parameter offset out of range");
  Driver* dp = &d;
  auto* w = new GpuWork(
      env, device, st, numArg(info, 8),
      [=](cudaStream_t s) {
        std::vector<void*> ptrs;
        for (uint32_t o : *offs) ptrs.push_back(blob->data() + o);
        CUresult r = dp->launch(f, grid[0], grid[1], grid[2], block[0], block[1], block[2], shmem,
                                reinterpret_cast<CUstream>(s), ptrs.data(), nullptr);
        // Driver and runtime share the numbering of these errors (1, 2, 700-719, ...).
        return static_cast<cudaError_t>(r);
      },
      "launchCustom");
  return queue(w);
}

}  // namespace

void initCustom(Napi::Env env, Napi::Object exports) {
  exports.Set("loadModule", Napi::Function::New(env, LoadModule, "loadModule"));
  exports.Set("getFunction", Napi::Function::New(env, GetFunction, "getFunction"));
  exports.Set("unloadModule", Napi::Function::New(env, UnloadModule, "unloadModule"));
  exports.Set("launchCustom", Napi::Function::New(env, LaunchCustom, "launchCustom"));
}

}  // namespace vf
