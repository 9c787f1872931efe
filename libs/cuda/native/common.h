// Shared helpers for the addon: error mapping from cudaError_t to the typed codes the
// TypeScript wrapper turns into error classes, and argument readers.
#pragma once
#include <napi.h>
#include <cuda_runtime_api.h>
#include <cstdint>
#include <string>

namespace vf {

// Codes understood by src/errors.ts. A device that returns a sticky error is unusable until
// the process restarts, so those map to DEVICE_LOST rather than LAUNCH_FAILED.
inline const char* classify(cudaError_t err) {
  switch (err) {
    case cudaErrorMemoryAllocation:
      return "HARD_OOM";
    case cudaErrorNoDevice:
    case cudaErrorInsufficientDriver:
    case cudaErrorInitializationError:
    case cudaErrorDevicesUnavailable:
    case cudaErrorECCUncorrectable:
    case cudaErrorHardwareStackError:
    case cudaErrorIllegalInstruction:
    case cudaErrorMisalignedAddress:
    case cudaErrorInvalidAddressSpace:
    case cudaErrorInvalidPc:
    case cudaErrorIllegalAddress:
    case cudaErrorLaunchFailure:
    case cudaErrorUnknown:
    case cudaErrorSystemNotReady:
    case cudaErrorCompatNotSupportedOnDevice:
      return "DEVICE_LOST";
    case cudaErrorInvalidValue:
    case cudaErrorInvalidDevicePointer:
    case cudaErrorInvalidDevice:
      return "INVALID_ARGUMENT";
    default:
      return "LAUNCH_FAILED";
  }
}

inline std::string describe(cudaError_t err, const char* where) {
  return std::string(where) + ": " + cudaGetErrorName(err) + " (" + cudaGetErrorString(err) + ")";
}

inline Napi::Error makeError(Napi::Env env, const char* code, const std::string& message,
                             int cudaCode = 0) {
  Napi::Error e = Napi::Error::New(env, message);
  e.Set("code", Napi::String::New(env, code));
  if (cudaCode != 0) e.Set("cudaError", Napi::Number::New(env, cudaCode));
  return e;
}

inline Napi::Error cudaFailure(Napi::Env env, cudaError_t err, const char* where) {
  return makeError(env, classify(err), describe(err, where), static_cast<int>(err));
}

// Throws (C++ exceptions are enabled) so argument checks read as one line each.
#define VF_CHECK(env, expr, where)                                         \
  do {                                                                     \
    cudaError_t vf_err_ = (expr);                                          \
    if (vf_err_ != cudaSuccess) throw ::vf::cudaFailure(env, vf_err_, where); \
  } while (0)

inline void requireArgs(const Napi::CallbackInfo& info, size_t n, const char* fn) {
  if (info.Length() < n)
    throw makeError(info.Env(), "INVALID_ARGUMENT", std::string(fn) + ": expected " +
                                                     std::to_string(n) + " arguments");
}

inline int intArg(const Napi::CallbackInfo& info, size_t i) {
  return info[i].As<Napi::Number>().Int32Value();
}

inline double numArg(const Napi::CallbackInfo& info, size_t i) {
  return info[i].As<Napi::Number>().DoubleValue();
}

// Device pointers travel to JS as doubles: x86-64 user addresses fit in 53 bits exactly.
inline void* ptrArg(const Napi::CallbackInfo& info, size_t i) {
  double d = info[i].As<Napi::Number>().DoubleValue();
  return reinterpret_cast<void*>(static_cast<uintptr_t>(d));
}

inline Napi::Number ptrValue(Napi::Env env, const void* p) {
  return Napi::Number::New(env, static_cast<double>(reinterpret_cast<uintptr_t>(p)));
}

// Per-device state shared by the memory and launch paths (streams.cc).
cudaStream_t streamFor(Napi::Env env, int device, int streamId);
// Recorded after each zero-on-free batch; every launch and copy waits on it first, so a
// block handed out again is never read or written before its zeroing has run.
cudaEvent_t zeroEvent(int device);
cudaStream_t zeroStream(int device);
int smCount(int device);

void initDiscovery(Napi::Env env, Napi::Object exports);
void initStreams(Napi::Env env, Napi::Object exports);
void initMemory(Napi::Env env, Napi::Object exports);
void initLaunch(Napi::Env env, Napi::Object exports);
void initCustom(Napi::Env env, Napi::Object exports);
void initEvidence(Napi::Env env, Napi::Object exports);
void initMotionBatch(Napi::Env env, Napi::Object exports);

}  // namespace vf
