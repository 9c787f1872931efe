// Per-device streams and the zero-on-free ordering event. Streams are created non-blocking
// so tenants' work never serialises through the legacy default stream.
#include <memory>
#include <mutex>
#include <vector>

#include "common.h"

namespace vf {
namespace {

struct DeviceState {
  std::vector<cudaStream_t> streams;  // index = stream id; nullptr once destroyed
  cudaStream_t zero = nullptr;
  cudaEvent_t zeroDone = nullptr;
  int sms = 0;
};

std::mutex mu;
std::vector<std::unique_ptr<DeviceState>> states;

DeviceState& state(int device) {
  std::lock_guard<std::mutex> lock(mu);
  if (device < 0 || device > 64) throw std::runtime_error("bad device index");
  if (states.size() <= size_t(device)) states.resize(device + 1);
  auto& s = states[device];
  if (!s) {
    s = std::make_unique<DeviceState>();
    cudaSetDevice(device);
    cudaStreamCreateWithFlags(&s->zero, cudaStreamNonBlocking);
    cudaEventCreateWithFlags(&s->zeroDone, cudaEventDisableTiming);
    // Recorded once so waiting on it before any zeroing is a no-op.
    cudaEventRecord(s->zeroDone, s->zero);
    cudaDeviceGetAttribute(&s->sms, cudaDevAttrMultiProcessorCount, device);
  }
  return *s;
}

Napi::Value CreateStream(const Napi::CallbackInfo& info) {
  requireArgs(info, 1, "createStream");
  Napi::Env env = info.Env();
  int device = intArg(info, 0);
  DeviceState& s = state(device);
  VF_CHECK(env, cudaSetDevice(device), "cudaSetDevice");
  cudaStream_t st = nullptr;
  VF_CHECK(env, cudaStreamCreateWithFlags(&st, cudaStreamNonBlocking), "cudaStreamCreate");
  std::lock_guard<std::mutex> lock(mu);
  s.streams.push_back(st);
  return Napi::Number::New(env, double(s.streams.size() - 1));
}

Napi::Value DestroyStream(const Napi::CallbackInfo& info) {
  requireArgs(info, 2, "destroyStream");
  Napi::Env env = info.Env();
  cudaStream_t st = streamFor(env, intArg(info, 0), intArg(info, 1));
  {
    std::lock_guard<std::mutex> lock(mu);
    states[intArg(info, 0)]->streams[intArg(info, 1)] = nullptr;
  }
  VF_CHECK(env, cudaStreamDestroy(st), "cudaStreamDestroy");
  return env.Undefined();
}

Napi::Value Synchronize(const Napi::CallbackInfo& info) {
  requireArgs(info, 1, "synchronize");
  Napi::Env env = info.Env();
  VF_CHECK(env, cudaSetDevice(intArg(info, 0)), "cudaSetDevice");
  VF_CHECK(env, cudaDeviceSynchronize(), "cudaDeviceSynchronize");
  return env.Undefined();
}

}  // namespace

cudaStream_t streamFor(Napi::Env env, int device, int streamId) {
  DeviceState& s = state(device);
  std::lock_guard<std::mutex> lock(mu);
  if (streamId < 0 || size_t(streamId) >= s.streams.size() || !s.streams[streamId])
    throw makeError(env, "INVALID_ARGUMENT", "unknown stream id " + std::to_string(streamId));
  return s.streams[streamId];
}

cudaEvent_t zeroEvent(int device) { return state(device).zeroDone; }
cudaStream_t zeroStream(int device) { return state(device).zero; }
int smCount(int device) { return state(device).sms; }

void initStreams(Napi::Env env, Napi::Object exports) {
  exports.Set("createStream", Napi::Function::New(env, CreateStream, "createStream"));
  exports.Set("destroyStream", Napi::Function::New(env, DestroyStream, "destroyStream"));
  exports.Set("synchronize", Napi::Function::New(env, Synchronize, "synchronize"));
}

}  // namespace vf
