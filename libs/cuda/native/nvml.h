// NVML loaded at run time with dlopen, so the addon loads on machines without the driver.
// Only the few entry points the telemetry needs are declared; their ABI is stable.
#pragma once
#include <string>

namespace vf {

struct NvmlSample {
  bool ok = false;
  std::string reason;
  int utilGpu = -1, utilMemory = -1, temperatureC = -1;
  double powerW = -1, powerLimitW = -1;
  int smClockMHz = -1, memClockMHz = -1;
  double memUsedBytes = -1, memTotalBytes = -1;
  // Xid errors seen since the previous sample (critical hardware/driver faults).
  std::string xids;
};

// Empty string when NVML is usable; otherwise why not.
std::string nvmlStatus();
NvmlSample nvmlSample(const std::string& uuid);

}  // namespace vf
