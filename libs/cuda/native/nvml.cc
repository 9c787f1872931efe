#include "nvml.h"

#include <dlfcn.h>
#include <map>
#include <mutex>

namespace vf {
namespace {

using nvmlReturn = int;
using nvmlDevice = void*;
using nvmlEventSet = void*;
struct nvmlUtilization { unsigned gpu, memory; };
struct nvmlMemory { unsigned long long total, free, used; };
struct nvmlEventData {
  nvmlDevice device;
  unsigned long long eventType, eventData;
  unsigned gpuInstanceId, computeInstanceId;
};
constexpr unsigned long long kXidCritical = 0x8ULL;  // nvmlEventTypeXidCriticalError

struct Api {
  void* lib = nullptr;
  std::string error;
  nvmlReturn (*init)() = nullptr;
  nvmlReturn (*byUuid)(const char*, nvmlDevice*) = nullptr;
  nvmlReturn (*util)(nvmlDevice, nvmlUtilization*) = nullptr;
  nvmlReturn (*temp)(nvmlDevice, int, unsigned*) = nullptr;
  nvmlReturn (*power)(nvmlDevice, unsigned*) = nullptr;
  nvmlReturn (*powerLimit)(nvmlDevice, unsigned*) = nullptr;
  nvmlReturn (*clock)(nvmlDevice, int, unsigned*) = nullptr;
  nvmlReturn (*memory)(nvmlDevice, nvmlMemory*) = nullptr;
  nvmlReturn (*eventSetCreate)(nvmlEventSet*) = nullptr;
  nvmlReturn (*registerEvents)(nvmlDevice, unsigned long long, nvmlEventSet) = nullptr;
  nvmlReturn (*eventWait)(nvmlEventSet, nvmlEventData*, unsigned) = nullptr;
  const char* (*errorString)(nvmlReturn) = nullptr;
  std::map<std::string, nvmlEventSet> xidSets;
};

std::mutex mu;

template <typename F>
bool bind(Api& a, F& f, const char* name) {
  f = reinterpret_cast<F>(dlsym(a.lib, name));
  if (!f) a.error = std::string("NVML lacks ") + name;
  return f != nullptr;
}

Api& api() {
  static Api a;
  static bool tried = false;
  if (tried) return a;
  tried = true;
  a.lib = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!a.lib) {
    a.error = std::string("libnvidia-ml.so.1 not loadable: ") + dlerror();
    return a;
  }
  bool ok = bind(a, a.init, "nvmlInit_v2") && bind(a, a.byUuid, "nvmlDeviceGetHandleByUUID") &&
            bind(a, a.util, "nvmlDeviceGetUtilizationRates") &&
            bind(a, a.temp, "nvmlDeviceGetTemperature") &&
            bind(a, a.power, "nvmlDeviceGetPowerUsage") &&
            bind(a, a.powerLimit, "nvmlDeviceGetEnforcedPowerLimit") &&
            bind(a, a.clock, "nvmlDeviceGetClockInfo") &&
            bind(a, a.memory, "nvmlDeviceGetMemoryInfo") &&
            bind(a, a.errorString, "nvmlErrorString");
  // Xid events are optional: some virtualised drivers do not expose them.
  bind(a, a.eventSetCreate, "nvmlEventSetCreate");
  bind(a, a.registerEvents, "nvmlDeviceRegisterEvents");
  bind(a, a.eventWait, "nvmlEventSetWait_v2");
  if (!ok) return a;
  a.error.clear();
  nvmlReturn r = a.init();
  if (r != 0) a.error = std::string("nvmlInit failed: ") + a.errorString(r);
  return a;
}

}  // namespace

std::string nvmlStatus() {
  std::lock_guard<std::mutex> lock(mu);
  return api().error;
}

NvmlSample nvmlSample(const std::string& uuid) {
  std::lock_guard<std::mutex> lock(mu);
  NvmlSample s;
  Api& a = api();
  if (!a.error.empty()) {
    s.reason = a.error;
    return s;
  }
  nvmlDevice d = nullptr;
  nvmlReturn r = a.byUuid(uuid.c_str(), &d);
  if (r != 0) {
    s.reason = std::string("nvmlDeviceGetHandleByUUID(") + uuid + "): " + a.errorString(r);
    return s;
  }
  s.ok = true;
  nvmlUtilization u{};
  if (a.util(d, &u) == 0) s.utilGpu = u.gpu, s.utilMemory = u.memory;
  unsigned v = 0;
  if (a.temp(d, 0, &v) == 0) s.temperatureC = v;
  if (a.power(d, &v) == 0) s.powerW = v / 1000.0;
  if (a.powerLimit(d, &v) == 0) s.powerLimitW = v / 1000.0;
  if (a.clock(d, 1, &v) == 0) s.smClockMHz = v;
  if (a.clock(d, 2, &v) == 0) s.memClockMHz = v;
  nvmlMemory m{};
  if (a.memory(d, &m) == 0) s.memUsedBytes = double(m.used), s.memTotalBytes = double(m.total);
  if (a.eventSetCreate && a.registerEvents && a.eventWait) {
    auto it = a.xidSets.find(uuid);
    if (it == a.xidSets.end()) {
      nvmlEventSet set = nullptr;
      if (a.eventSetCreate(&set) == 0 && a.registerEvents(d, kXidCritical, set) == 0)
        it = a.xidSets.emplace(uuid, set).first;
    }
    if (it != a.xidSets.end()) {
      nvmlEventData e{};
      while ((r = a.eventWait(it->second, &e, 0)) == 0) {
        if (!s.xids.empty()) s.xids += ",";
        s.xids += std::to_string(e.eventData);
      }
    }
  }
  return s;
}

}  // namespace vf
