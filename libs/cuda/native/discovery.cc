// Device discovery. Every call answers instead of throwing when there is no driver or no
// device, because "no GPU here" is a normal state for CI and CPU nodes.
#include <cstdio>

#include "common.h"
#include "nvml.h"

namespace vf {
namespace {

std::string uuidString(const cudaUUID_t& u) {
  const unsigned char* b = reinterpret_cast<const unsigned char*>(u.bytes);
  char s[64];
  std::snprintf(s, sizeof s,
                "GPU-%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
                b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
                b[14], b[15]);
  return s;
}

Napi::Value Probe(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object out = Napi::Object::New(env);
  int driver = 0, runtime = 0;
  cudaDriverGetVersion(&driver);
  cudaRuntimeGetVersion(&runtime);
  out.Set("driverVersion", driver);
  out.Set("runtimeVersion", runtime);
  Napi::Array devices = Napi::Array::New(env);
  out.Set("devices", devices);
  int count = 0;
  cudaError_t err = cudaGetDeviceCount(&count);
  if (err != cudaSuccess || count == 0) {
    out.Set("available", false);
    out.Set("reason", err != cudaSuccess ? describe(err, "cudaGetDeviceCount")
                                         : std::string("cudaGetDeviceCount: 0 devices"));
    cudaGetLastError();  // clear, so later calls do not see a stale error
    return out;
  }
  std::string nvml = nvmlStatus();
  out.Set("nvml", nvml.empty() ? env.Null() : Napi::String::New(env, nvml));
  for (int i = 0; i < count; ++i) {
    cudaDeviceProp p{};
    if ((err = cudaGetDeviceProperties(&p, i)) != cudaSuccess) {
      out.Set("available", false);
      out.Set("reason", describe(err, "cudaGetDeviceProperties"));
      return out;
    }
    Napi::Object d = Napi::Object::New(env);
    d.Set("index", i);
    d.Set("name", p.name);
    d.Set("uuid", uuidString(p.uuid));
    d.Set("computeCapability", std::to_string(p.major) + "." + std::to_string(p.minor));
    d.Set("major", p.major);
    d.Set("minor", p.minor);
    d.Set("multiProcessors", p.multiProcessorCount);
    d.Set("totalMemoryBytes", double(p.totalGlobalMem));
    d.Set("l2CacheBytes", p.l2CacheSize);
    d.Set("sharedMemPerBlockOptin", double(p.sharedMemPerBlockOptin));
    d.Set("pciBusId", p.pciBusID);
    size_t freeB = 0, totalB = 0;
    cudaSetDevice(i);
    if ((err = cudaMemGetInfo(&freeB, &totalB)) == cudaSuccess)
      d.Set("freeMemoryBytes", double(freeB));
    else
      d.Set("freeMemoryBytes", env.Null());
    devices.Set(uint32_t(i), d);
  }
  out.Set("available", true);
  out.Set("reason", env.Null());
  return out;
}

Napi::Value Telemetry(const Napi::CallbackInfo& info) {
  requireArgs(info, 1, "telemetry");
  Napi::Env env = info.Env();
  NvmlSample s = nvmlSample(info[0].As<Napi::String>().Utf8Value());
  Napi::Object o = Napi::Object::New(env);
  o.Set("available", s.ok);
  o.Set("reason", s.ok ? env.Null() : Napi::String::New(env, s.reason));
  if (!s.ok) return o;
  auto num = [&](double v) { return v < 0 ? env.Null() : Napi::Number::New(env, v); };
  o.Set("utilizationGpuPct", num(s.utilGpu));
  o.Set("utilizationMemoryPct", num(s.utilMemory));
  o.Set("temperatureC", num(s.temperatureC));
  o.Set("powerW", num(s.powerW));
  o.Set("powerLimitW", num(s.powerLimitW));
  o.Set("smClockMHz", num(s.smClockMHz));
  o.Set("memClockMHz", num(s.memClockMHz));
  o.Set("memoryUsedBytes", num(s.memUsedBytes));
  o.Set("memoryTotalBytes", num(s.memTotalBytes));
  o.Set("xidErrors", s.xids);
  return o;
}

}  // namespace

void initDiscovery(Napi::Env env, Napi::Object exports) {
  exports.Set("probe", Napi::Function::New(env, Probe, "probe"));
  exports.Set("telemetry", Napi::Function::New(env, Telemetry, "telemetry"));
}

}  // namespace vf
