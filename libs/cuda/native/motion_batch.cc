// motionBatch(device, stream, timeoutMs, spec) -> Promise<{gpuMs, value: [{count, indices, weights}]}>:
// one frame-set through every camera's background model (motion.background) in one native
// call. Frames already in pinned memory (pinnedBuffer) are copied to the device directly;
// others are packed into one pinned staging block first and go up in one copy. Counts come
// back in one copy, then every camera's changed pixels.
//
// pinnedBuffer(bytes) -> ArrayBuffer in page-locked host memory (freed with the buffer), for
// frames that a capture path writes once and the device reads by DMA.
#include <chrono>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "common.h"
#include "kernels.h"

namespace vf {
namespace {

struct CameraJob {
  const uint8_t* host = nullptr;
  size_t bytes = 0;
  size_t n = 0;
  void* frame = nullptr;
  float* mean = nullptr;
  float* var = nullptr;
  uint32_t* idx = nullptr;
  float* weights = nullptr;
  uint32_t* count = nullptr;
  void* scratch = nullptr;
  bool init = false;
  bool pinned = false;
};

struct Params {
  int bpp = 1;
  double k2 = 0, minVar = 0, alpha = 0, changedAlpha = 0, initialVar = 0;
};

struct Staging {
  std::mutex use;
  void* p = nullptr;
  size_t bytes = 0;
};
std::mutex stagingMu;
std::map<cudaStream_t, std::unique_ptr<Staging>> stagings;

Staging& stagingFor(cudaStream_t s) {
  std::lock_guard<std::mutex> lock(stagingMu);
  auto& p = stagings[s];
  if (!p) p = std::make_unique<Staging>();
  return *p;
}

bool isPinned(const void* p) {
  cudaPointerAttributes a{};
  if (cudaPointerGetAttributes(&a, p) != cudaSuccess) {
    cudaGetLastError();
    return false;
  }
  return a.type == cudaMemoryTypeHost;
}

class MotionBatchWork : public Napi::AsyncWorker {
 public:
  MotionBatchWork(Napi::Env env, int device, cudaStream_t stream, double timeoutMs, std::vector<CameraJob> jobs,
                  Params params)
      : Napi::AsyncWorker(env, "motion.background"),
        deferred_(Napi::Promise::Deferred::New(env)),
        device_(device),
        stream_(stream),
        timeoutMs_(timeoutMs),
        jobs_(std::move(jobs)),
        params_(params) {}

  Napi::Promise Promise() { return deferred_.Promise(); }
  void Keep(Napi::Value v) { kept_.push_back(Napi::Persistent(v.As<Napi::Object>())); }

 protected:
  void Execute() override {
    t0_ = std::chrono::steady_clock::now();
    Staging& st = stagingFor(stream_);
    std::lock_guard<std::mutex> lock(st.use);
    cudaError_t err = run(st);
    if (err != cudaSuccess && code_.empty()) {
      code_ = classify(err);
      cudaCode_ = int(err);
      message_ = describe(err, "motion.background");
    }
    for (cudaEvent_t e : events_) cudaEventDestroy(e);
    if (!code_.empty()) SetError(message_);
  }

  void OnOK() override {
    Napi::Env env = Env();
    Napi::Array list = Napi::Array::New(env, jobs_.size());
    for (size_t i = 0; i < jobs_.size(); ++i) {
      Napi::Object o = Napi::Object::New(env);
      o.Set("count", double(counts_[i]));
      auto* idx = new std::vector<uint32_t>(std::move(indices_[i]));
      auto* w = new std::vector<float>(std::move(weights_[i]));
      o.Set("indices", idx->empty() ? Napi::Uint32Array::New(env, 0) : wrap<uint32_t, Napi::Uint32Array>(env, idx));
      o.Set("weights", w->empty() ? Napi::Float32Array::New(env, 0) : wrap<float, Napi::Float32Array>(env, w));
      if (idx->empty()) delete idx;
      if (w->empty()) delete w;
      list.Set(uint32_t(i), o);
    }
    Napi::Object out = Napi::Object::New(env);
    out.Set("gpuMs", gpuMs_);
    out.Set("value", list);
    deferred_.Resolve(out);
  }

  void OnError(const Napi::Error&) override {
    deferred_.Reject(makeError(Env(), code_.c_str(), message_, cudaCode_).Value());
  }

 private:
  template <typename T, typename A>
  static Napi::Value wrap(Napi::Env env, std::vector<T>* v) {
    auto buf = Napi::ArrayBuffer::New(env, v->data(), v->size() * sizeof(T),
                                      [](Napi::Env, void*, std::vector<T>* h) { delete h; }, v);
    return A::New(env, v->size(), buf, 0);
  }

  cudaError_t sync(cudaStream_t s) {
    cudaEvent_t e;
    cudaError_t err = cudaEventCreate(&e);
    if (err != cudaSuccess) return err;
    events_.push_back(e);
    if ((err = cudaEventRecord(e, s)) != cudaSuccess) return err;
    for (;;) {
      cudaError_t q = cudaEventQuery(e);
      if (q != cudaErrorNotReady) return q;
      const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0_).count();
      if (timeoutMs_ > 0 && ms > timeoutMs_) {
        code_ = "TIMEOUT";
        message_ = "motion.background: not finished after " + std::to_string(timeoutMs_) +
                   " ms; the stream is still busy and should be retired";
        return cudaErrorNotReady;
      }
      std::this_thread::yield();
    }
  }

  cudaError_t run(Staging& st) {
    cudaError_t err = cudaSetDevice(device_);
    if (err != cudaSuccess) return err;
    const size_t cams = jobs_.size();
    size_t staged = 0;
    for (auto& j : jobs_) {
      j.pinned = isPinned(j.host);
      if (!j.pinned) staged += (j.bytes + 255) & ~size_t(255);
    }
    staged += cams * 4;  // the counts come back here
    if (st.bytes < staged) {
      if (st.p) cudaFreeHost(st.p);
      st.p = nullptr;
      st.bytes = 0;
      if ((err = cudaHostAlloc(&st.p, staged, cudaHostAllocDefault)) != cudaSuccess) return err;
      st.bytes = staged;
    }
    auto* host = static_cast<char*>(st.p);
    cudaEvent_t e0, e1;
    for (cudaEvent_t* e : {&e0, &e1}) {
      if ((err = cudaEventCreate(e)) != cudaSuccess) return err;
      events_.push_back(*e);
    }
    cudaStream_t s = stream_;
    if ((err = cudaStreamWaitEvent(s, zeroEvent(device_), 0)) != cudaSuccess) return err;
    size_t at = 0;
    for (auto& j : jobs_) {
      const void* src = j.host;
      if (!j.pinned) {
        std::memcpy(host + at, j.host, j.bytes);
        src = host + at;
        at += (j.bytes + 255) & ~size_t(255);
      }
      if ((err = cudaMemcpyAsync(j.frame, src, j.bytes, cudaMemcpyHostToDevice, s)) != cudaSuccess) return err;
    }
    if ((err = cudaEventRecord(e0, s)) != cudaSuccess) return err;
    const Params& p = params_;
    for (auto& j : jobs_) {
      err = launchMotionBackground(j.n, p.bpp, j.frame, j.mean, j.var, p.k2, p.minVar, p.alpha, p.changedAlpha,
                                   p.initialVar, j.init, uint32_t(j.n), j.idx, j.weights, j.count, j.scratch, s);
      if (err != cudaSuccess) return err;
    }
    if ((err = cudaEventRecord(e1, s)) != cudaSuccess) return err;
    auto* hostCounts = reinterpret_cast<uint32_t*>(host + at);
    for (size_t i = 0; i < cams; ++i)
      if ((err = cudaMemcpyAsync(hostCounts + i, jobs_[i].count, 4, cudaMemcpyDeviceToHost, s)) != cudaSuccess)
        return err;
    if ((err = sync(s)) != cudaSuccess) return err;
    counts_.assign(hostCounts, hostCounts + cams);
    indices_.resize(cams);
    weights_.resize(cams);
    // Pageable destinations: the copies are synchronous with respect to the host, so they go
    // straight into the vectors handed to JS (no second copy).
    for (size_t i = 0; i < cams; ++i) {
      const uint32_t c = counts_[i];
      indices_[i].resize(c);
      weights_[i].resize(c);
      if (!c) continue;
      if ((err = cudaMemcpyAsync(indices_[i].data(), jobs_[i].idx, size_t(c) * 4, cudaMemcpyDeviceToHost, s)) !=
          cudaSuccess)
        return err;
      if ((err = cudaMemcpyAsync(weights_[i].data(), jobs_[i].weights, size_t(c) * 4, cudaMemcpyDeviceToHost,
                                 s)) != cudaSuccess)
        return err;
    }
    if ((err = sync(s)) != cudaSuccess) return err;
    float ms = 0;
    cudaEventElapsedTime(&ms, e0, e1);
    gpuMs_ = ms;
    return cudaSuccess;
  }

  Napi::Promise::Deferred deferred_;
  int device_;
  cudaStream_t stream_;
  double timeoutMs_;
  std::vector<CameraJob> jobs_;
  Params params_;
  std::chrono::steady_clock::time_point t0_;
  std::vector<cudaEvent_t> events_;
  std::vector<Napi::ObjectReference> kept_;
  std::vector<uint32_t> counts_;
  std::vector<std::vector<uint32_t>> indices_;
  std::vector<std::vector<float>> weights_;
  double gpuMs_ = 0;
  std::string code_, message_;
  int cudaCode_ = 0;
};

void* devicePtr(Napi::Env env, Napi::Object o, const char* key, size_t align) {
  const double d = o.Get(key).As<Napi::Number>().DoubleValue();
  const auto p = uintptr_t(d);
  if (p == 0 || p % align != 0)
    throw makeError(env, "INVALID_ARGUMENT", std::string("motion.background: ") + key + " is not an aligned device pointer");
  return reinterpret_cast<void*>(p);
}

Napi::Value MotionBatch(const Napi::CallbackInfo& info) {
  requireArgs(info, 4, "motionBatch");
  Napi::Env env = info.Env();
  const int device = intArg(info, 0);
  cudaStream_t st = streamFor(env, device, intArg(info, 1));
  const double timeoutMs = numArg(info, 2);
  auto spec = info[3].As<Napi::Object>();
  Params p;
  p.bpp = spec.Get("bytesPerPixel").As<Napi::Number>().Int32Value();
  if (p.bpp != 1 && p.bpp != 2) throw makeError(env, "INVALID_ARGUMENT", "motion.background: 8 or 16 bit");
  p.k2 = spec.Get("k2").As<Napi::Number>().DoubleValue();
  p.minVar = spec.Get("minVar").As<Napi::Number>().DoubleValue();
  p.alpha = spec.Get("alpha").As<Napi::Number>().DoubleValue();
  p.changedAlpha = spec.Get("changedAlpha").As<Napi::Number>().DoubleValue();
  p.initialVar = spec.Get("initialVar").As<Napi::Number>().DoubleValue();
  auto cams = spec.Get("cameras").As<Napi::Array>();
  std::vector<CameraJob> jobs;
  std::vector<Napi::Object> keep;
  for (uint32_t i = 0; i < cams.Length(); ++i) {
    auto c = cams.Get(i).As<Napi::Object>();
    CameraJob j;
    auto data = c.Get("data").As<Napi::TypedArray>();
    j.n = size_t(c.Get("n").As<Napi::Number>().DoubleValue());
    j.bytes = data.ByteLength();
    if (j.bytes != j.n * size_t(p.bpp))
      throw makeError(env, "INVALID_ARGUMENT", "motion.background: frame " + std::to_string(i) + " size");
    j.host = static_cast<const uint8_t*>(data.ArrayBuffer().Data()) + data.ByteOffset();
    j.frame = devicePtr(env, c, "frame", size_t(p.bpp));
    j.mean = static_cast<float*>(devicePtr(env, c, "mean", 4));
    j.var = static_cast<float*>(devicePtr(env, c, "variance", 4));
    j.idx = static_cast<uint32_t*>(devicePtr(env, c, "indices", 4));
    j.weights = static_cast<float*>(devicePtr(env, c, "weights", 4));
    j.count = static_cast<uint32_t*>(devicePtr(env, c, "count", 4));
    j.scratch = devicePtr(env, c, "scratch", 8);
    j.init = c.Get("init").ToBoolean().Value();
    jobs.push_back(j);
    keep.push_back(data);
  }
  auto* work = new MotionBatchWork(env, device, st, timeoutMs, std::move(jobs), p);
  for (auto& k : keep) work->Keep(k);
  Napi::Promise promise = work->Promise();
  work->Queue();
  return promise;
}

Napi::Value PinnedBuffer(const Napi::CallbackInfo& info) {
  requireArgs(info, 1, "pinnedBuffer");
  Napi::Env env = info.Env();
  const size_t bytes = size_t(numArg(info, 0));
  void* p = nullptr;
  VF_CHECK(env, cudaHostAlloc(&p, bytes ? bytes : 1, cudaHostAllocDefault), "cudaHostAlloc");
  return Napi::ArrayBuffer::New(env, p, bytes, [](Napi::Env, void* data) { cudaFreeHost(data); });
}

}  // namespace

void initMotionBatch(Napi::Env env, Napi::Object exports) {
  exports.Set("motionBatch", Napi::Function::New(env, MotionBatch, "motionBatch"));
  exports.Set("pinnedBuffer", Napi::Function::New(env, PinnedBuffer, "pinnedBuffer"));
}

}  // namespace vf
