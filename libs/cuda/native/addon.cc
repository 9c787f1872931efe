// Entry point of voxelfleet_cuda.node. Loading it touches no CUDA API, so it loads on any
// machine; the first call that needs a device reports why there is none.
#include "common.h"

namespace vf {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  initDiscovery(env, exports);
  initStreams(env, exports);
  initMemory(env, exports);
  initLaunch(env, exports);
  initCustom(env, exports);
  initEvidence(env, exports);
  initMotionBatch(env, exports);
  return exports;
}

}  // namespace vf

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) { return vf::Init(env, exports); }

NODE_API_MODULE(voxelfleet_cuda, InitAddon)
