import type { DeviceTelemetry } from '@voxelfleet/cuda';

/** One device as the metrics mapping needs it. */
export interface DeviceMetricsInput {
  index: number;
  uuid: string;
  modelName: string;
  memoryTotalBytes: number;
  /** Free device memory from the runtime, when NVML cannot say. */
  memoryFreeBytes: number | null;
  telemetry: DeviceTelemetry | null;
  /** Last Xid code seen (DCGM reports the last one, 0 when none). */
  lastXid: number;
}

export type DcgmField =
  | 'DCGM_FI_DEV_GPU_UTIL'
  | 'DCGM_FI_DEV_FB_USED'
  | 'DCGM_FI_DEV_FB_FREE'
  | 'DCGM_FI_DEV_GPU_TEMP'
  | 'DCGM_FI_DEV_POWER_USAGE'
  | 'DCGM_FI_DEV_SM_CLOCK'
  | 'DCGM_FI_DEV_XID_ERRORS';

export const DCGM_HELP: Record<DcgmField, string> = {
  DCGM_FI_DEV_GPU_UTIL: 'GPU utilization (in %).',
  DCGM_FI_DEV_FB_USED: 'Framebuffer memory used (in MiB).',
  DCGM_FI_DEV_FB_FREE: 'Framebuffer memory free (in MiB).',
  DCGM_FI_DEV_GPU_TEMP: 'GPU temperature (in C).',
  DCGM_FI_DEV_POWER_USAGE: 'Power draw (in W).',
  DCGM_FI_DEV_SM_CLOCK: 'SM clock frequency (in MHz).',
  DCGM_FI_DEV_XID_ERRORS: 'Value of the last XID error encountered.',
};

export interface DcgmSample {
  field: DcgmField;
  labels: { gpu: string; UUID: string; modelName: string; Hostname: string };
  value: number;
}

const MIB = 2 ** 20;

/**
 * Device telemetry in dcgm-exporter's names, units and labels, so dashboards built for it
 * work unchanged. A field the device cannot report is left out, not reported as 0.
 */
export function dcgmSamples(hostname: string, devices: readonly DeviceMetricsInput[]): DcgmSample[] {
  const out: DcgmSample[] = [];
  for (const d of devices) {
    const labels = { gpu: String(d.index), UUID: d.uuid, modelName: d.modelName, Hostname: hostname };
    const add = (field: DcgmField, value: number | null | undefined) => {
      if (value !== null && value !== undefined && Number.isFinite(value)) out.push({ field, labels, value });
    };
    const t = d.telemetry?.available ? d.telemetry : null;
    add('DCGM_FI_DEV_GPU_UTIL', t?.utilizationGpuPct);
    const total = t?.memoryTotalBytes ?? d.memoryTotalBytes;
    const used = t?.memoryUsedBytes ?? (d.memoryFreeBytes !== null ? total - d.memoryFreeBytes : null);
    if (used !== null) {
      add('DCGM_FI_DEV_FB_USED', Math.round(used / MIB));
      add('DCGM_FI_DEV_FB_FREE', Math.round((total - used) / MIB));
    }
    add('DCGM_FI_DEV_GPU_TEMP', t?.temperatureC);
    add('DCGM_FI_DEV_POWER_USAGE', t?.powerW);
    add('DCGM_FI_DEV_SM_CLOCK', t?.smClockMHz);
    add('DCGM_FI_DEV_XID_ERRORS', d.lastXid);
  }
  return out;
}
