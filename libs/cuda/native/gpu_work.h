// One GPU operation run off the JS thread: the enqueue step and the wait both happen on a
// libuv worker thread, and the promise settles on the JS thread with the device time or a
// typed error. The wait polls an event so a per-operation timeout can be enforced (a kernel
// cannot be killed, so a timed-out stream is reported and left to the caller to retire).
#pragma once
#include "common.h"
#include <chrono>
#include <functional>
#include <thread>
#include <vector>

namespace vf {

class GpuWork : public Napi::AsyncWorker {
 public:
  using Enqueue = std::function<cudaError_t(cudaStream_t)>;

  GpuWork(Napi::Env env, int device, cudaStream_t stream, double timeoutMs, Enqueue enqueue,
          const char* what)
      : Napi::AsyncWorker(env, what),
        deferred_(Napi::Promise::Deferred::New(env)),
        device_(device),
        stream_(stream),
        timeoutMs_(timeoutMs),
        enqueue_(std::move(enqueue)),
        what_(what) {}

  Napi::Promise Promise() { return deferred_.Promise(); }
  // JS objects whose memory the operation reads or writes stay alive until it settles.
  void Keep(Napi::Value v) { kept_.push_back(Napi::Persistent(v.As<Napi::Object>())); }
  void ResolveWith(Napi::Value v) { result_ = Napi::Persistent(v.As<Napi::Object>()); }

 protected:
  void Execute() override {
    cudaError_t err = run();
    if (err != cudaSuccess && code_.empty()) {
      code_ = classify(err);
      cudaCode_ = static_cast<int>(err);
      message_ = describe(err, what_.c_str());
    }
    if (!code_.empty()) SetError(message_);
  }

  void OnOK() override {
    Napi::Env env = Env();
    Napi::Object out = Napi::Object::New(env);
    out.Set("gpuMs", Napi::Number::New(env, gpuMs_));
    if (!result_.IsEmpty()) out.Set("value", result_.Value());
    deferred_.Resolve(out);
  }

  void OnError(const Napi::Error&) override {
    deferred_.Reject(makeError(Env(), code_.c_str(), message_, cudaCode_).Value());
  }

 private:
  cudaError_t run() {
    cudaError_t err = cudaSetDevice(device_);
    if (err != cudaSuccess) return err;
    cudaEvent_t start = nullptr, stop = nullptr;
    if ((err = cudaEventCreate(&start)) != cudaSuccess) return err;
    if ((err = cudaEventCreate(&stop)) != cudaSuccess) {
      cudaEventDestroy(start);
      return err;
    }
    err = cudaStreamWaitEvent(stream_, zeroEvent(device_), 0);
    if (err == cudaSuccess) err = cudaEventRecord(start, stream_);
    if (err == cudaSuccess) err = enqueue_(stream_);
    if (err == cudaSuccess) err = cudaGetLastError();
    if (err == cudaSuccess) err = cudaEventRecord(stop, stream_);
    if (err == cudaSuccess) err = wait(stop);
    if (err == cudaSuccess) {
      float ms = 0;
      cudaEventElapsedTime(&ms, start, stop);
      gpuMs_ = ms;
    }
    cudaEventDestroy(start);
    cudaEventDestroy(stop);
    return err;
  }

  // Spin briefly (tiny kernels finish in microseconds and the round trip matters), then
  // back off to short sleeps so a long kernel does not burn a host core. The spin is short:
  // with many streams in flight (a frame-set's 20 camera uploads) every waiting thread spins
  // at once, and a longer spin takes the host cores that detection needs.
  cudaError_t wait(cudaEvent_t stop) {
    auto t0 = std::chrono::steady_clock::now();
    for (unsigned spins = 0;; ++spins) {
      cudaError_t q = cudaEventQuery(stop);
      if (q != cudaErrorNotReady) return q;
      double elapsed =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      if (timeoutMs_ > 0 && elapsed > timeoutMs_) {
        code_ = "TIMEOUT";
        message_ = what_ + ": not finished after " + std::to_string(timeoutMs_) +
                   " ms; the stream is still busy and should be retired";
        return cudaErrorNotReady;
      }
      if (elapsed < kSpinMs)
        std::this_thread::yield();
      else
        std::this_thread::sleep_for(std::chrono::microseconds(elapsed < 50 ? 20 : 200));
    }
  }

  static constexpr double kSpinMs = 0.25;

  Napi::Promise::Deferred deferred_;
  int device_;
  cudaStream_t stream_;
  double timeoutMs_;
  Enqueue enqueue_;
  std::string what_;
  double gpuMs_ = 0;
  std::string code_, message_;
  int cudaCode_ = 0;
  std::vector<Napi::ObjectReference> kept_;
  Napi::ObjectReference result_;
};

// Queues the work and returns its promise.
inline Napi::Promise queue(GpuWork* w) {
  Napi::Promise p = w->Promise();
  w->Queue();
  return p;
}

}  // namespace vf
