// evidence(device, stream, timeoutMs, spec) -> Promise<{gpuMs, value}>: a whole voxel.evidence
// step in one native call. On a libuv worker thread it packs the camera table and every
// camera's pixel list into pinned memory, makes one upload, runs the fused kernels
// (evidence_fused.cu), reads the survivor count, sorts the survivors by voxel index and
// downloads them into pinned memory. The JS thread only builds the spec and receives two
// typed arrays.
//
// evidenceScratchBytes(spec) -> bytes of device scratch the same spec needs (one pool block).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "common.h"
#include "evidence_fused.h"

namespace vf {
namespace {

size_t a256(size_t b) { return (b + 255) & ~size_t(255); }

struct CamInput {
  double p[12];
  int width = 0, height = 0;
  const uint32_t* pixels = nullptr;  // JS memory, kept alive by the worker's references
  size_t pixelCount = 0;
  const uint8_t* mask = nullptr;  // used when there is no pixel list
};

struct Spec {
  FusedGrid grid{};
  int minCameras = 1;
  uint32_t maxOut = 0;
  std::vector<CamInput> cams;
  uint64_t scratch = 0;
  size_t scratchBytes = 0;
  bool stats = false;
};

// Device scratch, in order: [upload: table | pixels | byte masks] [zeroed: bits | tiles |
// counters | plane counts] [cell list | cell bits] [keys A | vals A | keys B | vals B] [sort temp].
struct Layout {
  size_t table = 0, pixels = 0, masks = 0, uploadEnd = 0;
  std::vector<size_t> bits, sat, mask;
  size_t counters = 0, planes = 0, zeroEnd = 0;
  size_t cellList = 0, cellBits = 0;
  size_t keysA = 0, valsA = 0, keysB = 0, valsB = 0, temp = 0, tempBytes = 0, total = 0;
  uint32_t capacity = 0;
  int endBit = 1;
  size_t totalPixels = 0;
};

int wordsPerRow(int w) { return (w + 31) / 32; }
int tiles(int n) { return (n + kFusedTile - 1) / kFusedTile; }

Layout layoutOf(const Spec& s) {
  Layout L;
  const size_t n = s.cams.size();
  const size_t voxels = size_t(s.grid.nx) * s.grid.ny * s.grid.nz;
  size_t at = 0;
  L.table = at;
  at += a256(n * sizeof(FusedCam));
  L.pixels = at;
  for (const auto& c : s.cams) L.totalPixels += c.pixelCount;
  at += a256(std::max<size_t>(4, L.totalPixels * 4));
  L.masks = at;
  for (const auto& c : s.cams) {
    L.mask.push_back(c.pixels || !c.mask ? 0 : at);
    if (!c.pixels && c.mask) at += a256(size_t(c.width) * c.height);
  }
  L.uploadEnd = at;
  const size_t zeroStart = at;
  for (const auto& c : s.cams) {
    L.bits.push_back(at);
    at += a256(size_t(c.height) * wordsPerRow(c.width) * 4);
    L.sat.push_back(at);
    at += a256(size_t(tiles(c.width) + 1) * (tiles(c.height) + 1) * 4);
  }
  L.counters = at;
  at += a256(sizeof(FusedCounters));
  L.planes = at;
  at += a256(size_t(s.grid.nz) * 4);
  L.zeroEnd = at;
  (void)zeroStart;
  const size_t cells = size_t((s.grid.nx + kFusedCell - 1) / kFusedCell) *
                       ((s.grid.ny + kFusedCell - 1) / kFusedCell) * ((s.grid.nz + kFusedCell - 1) / kFusedCell);
  L.cellList = at;
  at += a256(cells * 4);
  L.cellBits = at;
  at += a256(cells * 4);
  // Room for the lowest maxOut survivors plus one whole z plane: after an overflow the fine
  // pass runs again on the planes up to the one where maxOut is reached (see Execute).
  const size_t cap = std::min<size_t>(voxels, size_t(s.maxOut) + size_t(s.grid.nx) * s.grid.ny);
  L.capacity = uint32_t(std::max<size_t>(cap, 1));
  while (L.endBit < 32 && (uint64_t(1) << L.endBit) < voxels) ++L.endBit;
  L.keysA = at;
  at += a256(size_t(L.capacity) * 4);
  L.valsA = at;
  at += a256(size_t(L.capacity) * 4);
  L.keysB = at;
  at += a256(size_t(L.capacity) * 4);
  L.valsB = at;
  at += a256(size_t(L.capacity) * 4);
  L.temp = at;
  L.tempBytes = fusedSortTempBytes(L.capacity, L.endBit);
  at += a256(L.tempBytes);
  L.total = at;
  return L;
}

// The camera record: the affine form of the projection in voxel-index space and the bounds
// that make the float32 path's floors safe (see evidence_fused.cu). E bounds the error of the
// float32 evaluation of a row (4 roundings of values bounded by B, 2^-22 B; taken as 2^-21 B)
// plus that of the contract's float64 evaluation (a few units of 2^-53 of the absolute terms
// S; taken as 2^-45 S).
FusedCam cameraRecord(const CamInput& in, const FusedGrid& g) {
  FusedCam c{};
  std::memcpy(c.p, in.p, sizeof c.p);
  c.width = in.width;
  c.height = in.height;
  c.wordsPerRow = wordsPerRow(in.width);
  c.tilesX = tiles(in.width);
  c.tilesY = tiles(in.height);
  const double x0 = g.ox + 0.5 * g.vs, y0 = g.oy + 0.5 * g.vs, z0 = g.oz + 0.5 * g.vs;
  const double xs[2] = {x0, g.ox + (g.nx - 0.5) * g.vs};
  const double ys[2] = {y0, g.oy + (g.ny - 0.5) * g.vs};
  const double zs[2] = {z0, g.oz + (g.nz - 0.5) * g.vs};
  double E[3];
  bool finite = true;
  for (int r = 0; r < 3; ++r) {
    const double* P = in.p + 4 * r;
    const double coef[4] = {P[0] * x0 + P[1] * y0 + P[2] * z0 + P[3], P[0] * g.vs, P[1] * g.vs, P[2] * g.vs};
    double B = 0;
    for (int k = 0; k < 4; ++k) {
      c.a[4 * r + k] = float(coef[k]);
      const int count = k == 0 ? 1 : (k == 1 ? g.nx - 1 : k == 2 ? g.ny - 1 : g.nz - 1);
      B += std::fabs(double(c.a[4 * r + k])) * count;
    }
    double S = 0;
    for (int k = 0; k < 8; ++k)
      S = std::max(S, std::fabs(P[0] * xs[k & 1]) + std::fabs(P[1] * ys[(k >> 1) & 1]) +
                          std::fabs(P[2] * zs[k >> 2]) + std::fabs(P[3]));
    E[r] = B * 1.01 * std::ldexp(1.0, -21) + S * std::ldexp(1.0, -45);
    for (int k = 0; k < 4; ++k) finite = finite && std::isfinite(c.a[4 * r + k]);
    finite = finite && std::isfinite(E[r]) && std::isfinite(S);
  }
  const double qMax = 1.25 * std::max(in.width, in.height) + 8;
  c.qMax = float(qMax);
  // w above wFast: the contract's w' is positive, |u/w - true| stays within 2% relative plus
  // E_u / w (so the far-outside test holds), and rcp.approx sees a normal number.
  const double wFast = std::max({64 * E[2], 0.5 * std::max(E[0], E[1]), 1e-30});
  for (int d = 0; d < 2; ++d) {
    c.tolA[d] = float(2.5 * (E[d] + qMax * E[2]));
    c.tolB[d] = float(qMax * std::ldexp(1.0, -20));
  }
  c.wFast = finite ? float(wFast * (1 + 1e-6)) : INFINITY;
  c.wNeg = finite ? float(-2 * E[2] * (1 + 1e-6)) : -INFINITY;
  if (!std::isfinite(c.tolA[0]) || !std::isfinite(c.tolA[1])) c.wFast = INFINITY, c.wNeg = -INFINITY;
  return c;
}

// Pinned staging per stream, reused across calls; one call on a stream at a time uses it.
struct Staging {
  std::mutex use;
  void* in = nullptr;
  size_t inBytes = 0;
  void* out = nullptr;
  size_t outBytes = 0;
  cudaError_t reserve(void** p, size_t* have, size_t want) {
    if (*have >= want) return cudaSuccess;
    if (*p) cudaFreeHost(*p);
    *p = nullptr;
    *have = 0;
    const size_t grown = std::max(want, size_t(1) << 20);
    cudaError_t err = cudaHostAlloc(p, grown, cudaHostAllocDefault);
    if (err == cudaSuccess) *have = grown;
    return err;
  }
};

std::mutex stagingMu;
std::map<cudaStream_t, std::unique_ptr<Staging>> stagings;

Staging& stagingFor(cudaStream_t s) {
  std::lock_guard<std::mutex> lock(stagingMu);
  auto& p = stagings[s];
  if (!p) p = std::make_unique<Staging>();
  return *p;
}

class EvidenceWork : public Napi::AsyncWorker {
 public:
  EvidenceWork(Napi::Env env, int device, cudaStream_t stream, double timeoutMs, Spec spec)
      : Napi::AsyncWorker(env, "voxel.evidence"),
        deferred_(Napi::Promise::Deferred::New(env)),
        device_(device),
        stream_(stream),
        timeoutMs_(timeoutMs),
        spec_(std::move(spec)) {}

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
      message_ = describe(err, "voxel.evidence");
    }
    for (cudaEvent_t e : events_)
      if (e) cudaEventDestroy(e);
    if (!code_.empty()) SetError(message_);
  }

  void OnOK() override {
    Napi::Env env = Env();
    Napi::Object value = Napi::Object::New(env);
    value.Set("indices", takeArray(env, std::move(indices_)));
    value.Set("masks", takeArray(env, std::move(masks_)));
    value.Set("total", double(total_));
    value.Set("hostMs", hostMs_);
    if (spec_.stats) {
      Napi::Object s = Napi::Object::New(env);
      s.Set("cells", double(counters_.cells));
      s.Set("pairs", double(counters_.pairs));
      s.Set("ambiguous", double(counters_.ambiguous));
      s.Set("fallback", double(counters_.fallback));
      s.Set("reruns", double(reruns_));
      s.Set("uploadBytes", double(uploadBytes_));
      // Device milliseconds: zeroing + masks, tile tables, coarse pass, fine pass (+ count
      // read-back), sort.
      Napi::Object ph = Napi::Object::New(env);
      const char* names[5] = {"masks", "tiles", "coarse", "fine", "sort"};
      for (size_t i = 0; i < phases_.size(); ++i) ph.Set(names[i], double(phases_[i]));
      s.Set("phasesMs", ph);
      value.Set("stats", s);
    }
    Napi::Object out = Napi::Object::New(env);
    out.Set("gpuMs", gpuMs_);
    out.Set("value", value);
    deferred_.Resolve(out);
  }

  void OnError(const Napi::Error&) override {
    deferred_.Reject(makeError(Env(), code_.c_str(), message_, cudaCode_).Value());
  }

 private:
  static Napi::Value takeArray(Napi::Env env, std::vector<uint32_t>&& v) {
    auto* heap = new std::vector<uint32_t>(std::move(v));
    if (heap->empty()) {
      delete heap;
      return Napi::Uint32Array::New(env, 0);
    }
    auto buf = Napi::ArrayBuffer::New(env, heap->data(), heap->size() * 4,
                                      [](Napi::Env, void*, std::vector<uint32_t>* h) { delete h; }, heap);
    return Napi::Uint32Array::New(env, heap->size(), buf, 0);
  }

  cudaError_t event(cudaEvent_t* e) {
    cudaError_t err = cudaEventCreate(e);
    if (err == cudaSuccess) events_.push_back(*e);
    return err;
  }

  // Waits for the stream to reach `e` within the call's time limit (as GpuWork::wait does).
  cudaError_t wait(cudaEvent_t e) {
    for (;;) {
      cudaError_t q = cudaEventQuery(e);
      if (q != cudaErrorNotReady) return q;
      const double elapsed =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0_).count();
      if (timeoutMs_ > 0 && elapsed > timeoutMs_) {
        code_ = "TIMEOUT";
        message_ = "voxel.evidence: not finished after " + std::to_string(timeoutMs_) +
                   " ms; the stream is still busy and should be retired";
        return cudaErrorNotReady;
      }
      std::this_thread::yield();
    }
  }

  cudaError_t sync(cudaStream_t s) {
    cudaEvent_t e;
    cudaError_t err = event(&e);
    if (err == cudaSuccess) err = cudaEventRecord(e, s);
    if (err == cudaSuccess) err = wait(e);
    return err;
  }

  cudaError_t run(Staging& st) {
    const Spec& s = spec_;
    const Layout L = layoutOf(s);
    if (L.total > s.scratchBytes) {
      code_ = "INVALID_ARGUMENT";
      message_ = "voxel.evidence: scratch of " + std::to_string(s.scratchBytes) + " bytes, need " +
                 std::to_string(L.total);
      return cudaErrorInvalidValue;
    }
    cudaError_t err = cudaSetDevice(device_);
    if (err != cudaSuccess) return err;
    const size_t outBytes = sizeof(FusedCounters) + size_t(s.grid.nz) * 4 + size_t(L.capacity) * 8;
    if ((err = st.reserve(&st.in, &st.inBytes, L.uploadEnd)) != cudaSuccess) return err;
    if ((err = st.reserve(&st.out, &st.outBytes, outBytes)) != cudaSuccess) return err;
    auto* dev = reinterpret_cast<char*>(s.scratch);
    auto* host = static_cast<char*>(st.in);
    const int n = int(s.cams.size());
    size_t pixelAt = 0;
    for (int i = 0; i < n; ++i) {
      const CamInput& in = s.cams[i];
      FusedCam c = cameraRecord(in, s.grid);
      c.bits = uint64_t(uintptr_t(dev + L.bits[i]));
      c.sat = uint64_t(uintptr_t(dev + L.sat[i]));
      c.byteMask = L.mask[i] ? uint64_t(uintptr_t(dev + L.mask[i])) : 0;
      c.pixelStart = uint32_t(pixelAt);
      c.pixelCount = uint32_t(in.pixelCount);
      std::memcpy(host + L.table + i * sizeof(FusedCam), &c, sizeof c);
      if (in.pixelCount) std::memcpy(host + L.pixels + pixelAt * 4, in.pixels, in.pixelCount * 4);
      pixelAt += in.pixelCount;
      if (L.mask[i]) std::memcpy(host + L.mask[i], in.mask, size_t(in.width) * in.height);
    }
    uploadBytes_ = L.uploadEnd;
    cudaStream_t sm = stream_;
    cudaEvent_t e0, e1, e2, e3;
    for (cudaEvent_t* e : {&e0, &e1, &e2, &e3})
      if ((err = event(e)) != cudaSuccess) return err;
    if ((err = cudaStreamWaitEvent(sm, zeroEvent(device_), 0)) != cudaSuccess) return err;
    if ((err = cudaMemcpyAsync(dev, host, L.uploadEnd, cudaMemcpyHostToDevice, sm)) != cudaSuccess) return err;
    if ((err = cudaEventRecord(e0, sm)) != cudaSuccess) return err;
    if ((err = cudaMemsetAsync(dev + L.uploadEnd, 0, L.zeroEnd - L.uploadEnd, sm)) != cudaSuccess) return err;
    auto* counters = reinterpret_cast<FusedCounters*>(dev + L.counters);
    auto* planes = reinterpret_cast<uint32_t*>(dev + L.planes);
    auto* keysA = reinterpret_cast<uint32_t*>(dev + L.keysA);
    auto* valsA = reinterpret_cast<uint32_t*>(dev + L.valsA);
    auto* keysB = reinterpret_cast<uint32_t*>(dev + L.keysB);
    auto* valsB = reinterpret_cast<uint32_t*>(dev + L.valsB);
    auto* cellList = reinterpret_cast<uint32_t*>(dev + L.cellList);
    auto* cellBits = reinterpret_cast<uint32_t*>(dev + L.cellBits);
    const auto* cams = reinterpret_cast<const FusedCam*>(dev + L.table);
    const int sms = smCount(device_);
    bool byteMasks = false;
    for (size_t m : L.mask) byteMasks = byteMasks || m != 0;
    // With stats, events between the phases say where the kernel time goes.
    cudaEvent_t marks[3] = {nullptr, nullptr, nullptr};
    if (s.stats)
      for (cudaEvent_t& m : marks)
        if ((err = event(&m)) != cudaSuccess) return err;
    err = launchFusedEvidence(s.grid, n, cams, L.totalPixels, reinterpret_cast<const uint32_t*>(dev + L.pixels),
                              s.minCameras, L.capacity, keysA, valsA, cellList, cellBits, counters, planes,
                              s.stats, sms, byteMasks, s.stats ? marks : nullptr, sm);
    if (err != cudaSuccess) return err;
    auto* outHost = static_cast<char*>(st.out);
    auto* hostCounters = reinterpret_cast<FusedCounters*>(outHost);
    if ((err = cudaMemcpyAsync(hostCounters, counters, sizeof(FusedCounters), cudaMemcpyDeviceToHost, sm)) !=
        cudaSuccess)
      return err;
    if ((err = cudaEventRecord(e1, sm)) != cudaSuccess) return err;
    if ((err = wait(e1)) != cudaSuccess) return err;
    counters_ = *hostCounters;
    if (counters_.badPixel) {
      code_ = "INVALID_ARGUMENT";
      message_ = "voxel.evidence: pixel index outside the frame";
      return cudaErrorInvalidValue;
    }
    total_ = counters_.survivors;
    uint32_t have = total_;
    if (total_ > L.capacity) {
      // More survivors than room: keep the planes up to the one where maxOut is reached (the
      // lowest indices), and run the fine pass again on those alone.
      auto* hostPlanes = reinterpret_cast<uint32_t*>(outHost + sizeof(FusedCounters));
      if ((err = cudaMemcpyAsync(hostPlanes, planes, size_t(s.grid.nz) * 4, cudaMemcpyDeviceToHost, sm)) !=
          cudaSuccess)
        return err;
      if ((err = sync(sm)) != cudaSuccess) return err;
      uint64_t prefix = 0;
      int zCut = s.grid.nz - 1;
      for (int z = 0; z < s.grid.nz; ++z) {
        prefix += hostPlanes[z];
        if (prefix >= s.maxOut) {
          zCut = z;
          break;
        }
      }
      have = uint32_t(prefix);
      ++reruns_;
      if ((err = cudaMemsetAsync(&counters->survivors, 0, 4, sm)) != cudaSuccess) return err;
      if ((err = cudaMemsetAsync(planes, 0, size_t(s.grid.nz) * 4, sm)) != cudaSuccess) return err;
      err = launchFusedFine(s.grid, n, cams, s.minCameras, L.capacity, keysA, valsA, cellList, cellBits, counters,
                            planes, zCut, false, sms, sm);
      if (err != cudaSuccess) return err;
    }
    const uint32_t kept = std::min<uint32_t>(have, s.maxOut);
    if ((err = cudaEventRecord(e2, sm)) != cudaSuccess) return err;
    err = launchFusedSort(dev + L.temp, L.tempBytes, keysA, keysB, valsA, valsB, int(have), L.endBit, sm);
    if (err != cudaSuccess) return err;
    if ((err = cudaEventRecord(e3, sm)) != cudaSuccess) return err;
    auto* hostKeys = reinterpret_cast<uint32_t*>(outHost + sizeof(FusedCounters) + size_t(s.grid.nz) * 4);
    auto* hostVals = hostKeys + L.capacity;
    if (kept) {
      if ((err = cudaMemcpyAsync(hostKeys, keysB, size_t(kept) * 4, cudaMemcpyDeviceToHost, sm)) != cudaSuccess)
        return err;
      if ((err = cudaMemcpyAsync(hostVals, valsB, size_t(kept) * 4, cudaMemcpyDeviceToHost, sm)) != cudaSuccess)
        return err;
    }
    if ((err = sync(sm)) != cudaSuccess) return err;
    indices_.assign(hostKeys, hostKeys + kept);
    masks_.assign(hostVals, hostVals + kept);
    float a = 0, b = 0;
    cudaEventElapsedTime(&a, e0, e1);
    cudaEventElapsedTime(&b, e2, e3);
    if (s.stats) {
      float t[4] = {0, 0, 0, 0};
      cudaEventElapsedTime(&t[0], e0, marks[0]);
      cudaEventElapsedTime(&t[1], marks[0], marks[1]);
      cudaEventElapsedTime(&t[2], marks[1], marks[2]);
      cudaEventElapsedTime(&t[3], marks[2], e1);
      phases_ = {t[0], t[1], t[2], t[3], b};
    }
    gpuMs_ = double(a) + double(b);
    hostMs_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0_).count();
    return cudaSuccess;
  }

  Napi::Promise::Deferred deferred_;
  int device_;
  cudaStream_t stream_;
  double timeoutMs_;
  Spec spec_;
  std::chrono::steady_clock::time_point t0_;
  std::vector<cudaEvent_t> events_;
  std::vector<Napi::ObjectReference> kept_;
  std::vector<uint32_t> indices_, masks_;
  FusedCounters counters_{};
  uint32_t total_ = 0;
  int reruns_ = 0;
  size_t uploadBytes_ = 0;
  std::vector<float> phases_;
  double gpuMs_ = 0, hostMs_ = 0;
  std::string code_, message_;
  int cudaCode_ = 0;
};

void bad(Napi::Env env, const std::string& what) { throw makeError(env, "INVALID_ARGUMENT", "voxel.evidence: " + what); }

// Reads the spec's grid and cameras. With `withData` false only sizes matter (scratch query).
Spec readSpec(Napi::Env env, Napi::Object o, bool withData, std::vector<Napi::Object>* keep) {
  Spec s;
  auto dims = o.Get("dims").As<Napi::Array>();
  auto origin = o.Get("origin").As<Napi::Array>();
  s.grid.nx = dims.Get(0u).As<Napi::Number>().Int32Value();
  s.grid.ny = dims.Get(1u).As<Napi::Number>().Int32Value();
  s.grid.nz = dims.Get(2u).As<Napi::Number>().Int32Value();
  if (s.grid.nx < 1 || s.grid.ny < 1 || s.grid.nz < 1) bad(env, "dims");
  if (double(s.grid.nx) * s.grid.ny * s.grid.nz > 4294967296.0) bad(env, "more than 2^32 voxels");
  s.grid.ox = origin.Get(0u).As<Napi::Number>().DoubleValue();
  s.grid.oy = origin.Get(1u).As<Napi::Number>().DoubleValue();
  s.grid.oz = origin.Get(2u).As<Napi::Number>().DoubleValue();
  s.grid.vs = o.Get("voxelSize").As<Napi::Number>().DoubleValue();
  s.minCameras = o.Get("minCameras").As<Napi::Number>().Int32Value();
  const double maxOut = o.Get("maxOut").As<Napi::Number>().DoubleValue();
  s.maxOut = uint32_t(std::min(maxOut, double(s.grid.nx) * s.grid.ny * s.grid.nz));
  auto cams = o.Get("cameras").As<Napi::Array>();
  if (cams.Length() < 1 || cams.Length() > uint32_t(kFusedMaxCams)) bad(env, "1..32 cameras");
  if (s.minCameras < 1 || s.minCameras > int(cams.Length())) bad(env, "minCameras out of range");
  for (uint32_t i = 0; i < cams.Length(); ++i) {
    auto c = cams.Get(i).As<Napi::Object>();
    CamInput in;
    in.width = c.Get("width").As<Napi::Number>().Int32Value();
    in.height = c.Get("height").As<Napi::Number>().Int32Value();
    if (in.width < 1 || in.height < 1) bad(env, "camera size");
    Napi::Value pixels = c.Get("pixels");
    const bool hasPixels = pixels.IsTypedArray();
    if (hasPixels && pixels.As<Napi::TypedArray>().TypedArrayType() != napi_uint32_array)
      bad(env, "pixels must be a Uint32Array");
    if (hasPixels) {
      auto px = pixels.As<Napi::Uint32Array>();
      in.pixelCount = px.ElementLength();
      in.pixels = px.Data();
      if (keep) keep->push_back(px);
    }
    if (withData) {
      auto proj = c.Get("projection").As<Napi::Float64Array>();
      if (proj.ElementLength() != 12) bad(env, "projection is 3x4");
      std::memcpy(in.p, proj.Data(), sizeof in.p);
    }
    Napi::Value mask = c.Get("mask");
    if (!hasPixels) {
      if (!mask.IsTypedArray() || mask.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array)
        bad(env, "a camera needs pixels or a Uint8Array mask");
      auto m = mask.As<Napi::Uint8Array>();
      if (m.ElementLength() != size_t(in.width) * in.height) bad(env, "mask size");
      in.mask = m.Data();
      if (keep) keep->push_back(m);
    }
    s.cams.push_back(in);
  }
  return s;
}

Napi::Value Evidence(const Napi::CallbackInfo& info) {
  requireArgs(info, 4, "evidence");
  Napi::Env env = info.Env();
  const int device = intArg(info, 0);
  cudaStream_t st = streamFor(env, device, intArg(info, 1));
  const double timeoutMs = numArg(info, 2);
  auto o = info[3].As<Napi::Object>();
  std::vector<Napi::Object> arrays;
  Spec s = readSpec(env, o, true, &arrays);
  s.scratch = uint64_t(o.Get("scratch").As<Napi::Number>().DoubleValue());
  s.scratchBytes = size_t(o.Get("scratchBytes").As<Napi::Number>().DoubleValue());
  s.stats = o.Has("stats") && o.Get("stats").ToBoolean().Value();
  if (s.scratch == 0 || s.scratch % 256 != 0) bad(env, "scratch is not a 256-byte aligned device pointer");
  auto* work = new EvidenceWork(env, device, st, timeoutMs, std::move(s));
  // The pixel lists and masks are read on the worker thread; they stay alive until it settles.
  for (auto& a : arrays) work->Keep(a);
  Napi::Promise p = work->Promise();
  work->Queue();
  return p;
}

Napi::Value EvidenceScratchBytes(const Napi::CallbackInfo& info) {
  requireArgs(info, 1, "evidenceScratchBytes");
  Napi::Env env = info.Env();
  Spec s = readSpec(env, info[0].As<Napi::Object>(), false, nullptr);
  return Napi::Number::New(env, double(layoutOf(s).total));
}

}  // namespace

void initEvidence(Napi::Env env, Napi::Object exports) {
  exports.Set("evidence", Napi::Function::New(env, Evidence, "evidence"));
  exports.Set("evidenceScratchBytes", Napi::Function::New(env, EvidenceScratchBytes, "evidenceScratchBytes"));
}

}  // namespace vf
