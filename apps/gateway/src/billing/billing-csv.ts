import type { Bill } from '@voxelfleet/scheduling';

const COLUMNS = [
  'tenant_id',
  'device_class',
  'jobs',
  'gpu_seconds',
  'cpu_seconds',
  'cost',
  'idle_reserved_gpu_seconds',
  'idle_reserved_cost',
  'currency',
  'from',
  'to',
] as const;

/** One row per tenant and device class, as the JSON lines; RFC 4180 quoting. */
export function billToCsv(bill: Bill, currency: string, from: string, to: string): string {
  const rows = bill.lines.map((line) =>
    [
      line.tenantId,
      line.deviceClass,
      line.jobs,
      line.gpuSeconds,
      line.cpuSeconds,
      line.cost,
      line.idleReservedGpuSeconds,
      line.idleReservedCost,
      currency,
      from,
      to,
    ]
      .map(cell)
      .join(','),
  );
  return [COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}

function cell(value: string | number): string {
  const text = String(value);
  // A leading =, +, - or @ would be read as a formula by spreadsheets; device classes are
  // admin-written text, so they are quoted and prefixed rather than trusted.
  const safe = /^[=+\-@]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\r\n]/.test(safe) || safe !== text ? `"${safe.replace(/"/g, '""')}"` : safe;
}
