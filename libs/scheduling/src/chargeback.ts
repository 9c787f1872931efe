import { DeviceClassParseError, matchesDeviceClass, parseDeviceClass } from './device-class.js';
import type { DeviceCapability } from './snapshot.types.js';

/** Prices set by platform admins: per device class per GPU-second, and per CPU-fallback second. */
export interface PriceSheet {
  readonly currency: string;
  /** In order: a device is priced by the first class it matches; `*` matches any device. */
  readonly deviceClasses: readonly { readonly deviceClass: string; readonly perGpuSecond: number }[];
  readonly cpuFallbackPerSecond: number;
}

/** Where a run's seconds are billed when no price class names its device. */
export const UNPRICED = 'unpriced';
export const CPU_FALLBACK = 'cpu-fallback';
const ANY = '*';

/** One job's hold on the fleet, from its row's real times. */
export interface MeteredRun {
  readonly jobId: string;
  readonly tenantId: string;
  readonly target: 'gpu' | 'cpu';
  /** The capability of each device it held; null where the device is no longer known. */
  readonly devices: readonly (DeviceCapability | null)[];
  /** When the scheduler reserved the devices for it. */
  readonly placedAtMs: number | null;
  /** When the node reported it running; null when it never started. */
  readonly startedAtMs: number | null;
  /** When it finished or was stopped (cancelled, preempted); null while it still holds room. */
  readonly endedAtMs: number | null;
}

export interface BillingWindow {
  readonly fromMs: number;
  readonly toMs: number;
  /** Runs still holding room are billed up to here (or the window's end, if sooner). */
  readonly nowMs: number;
}

interface Amounts {
  gpuSeconds: number;
  cpuSeconds: number;
  cost: number;
  /** Device time reserved for the tenant's jobs while they were not running (placed, not started). */
  idleReservedGpuSeconds: number;
  idleReservedCost: number;
}

export interface BillingLine extends Amounts {
  tenantId: string;
  /** The price class that billed it, `cpu-fallback`, or `unpriced`. */
  deviceClass: string;
  jobs: number;
}

export interface TenantBill extends Amounts {
  tenantId: string;
}

export interface Bill {
  lines: BillingLine[];
  tenants: TenantBill[];
}

/**
 * Usage, cost and idle reserved capacity per tenant and device class over a window. A run is
 * billed from its start to its end, clipped to the window (a stopped job to its stop, a
 * running one to now); each device it held is billed at its own class's price, so a job's
 * GPU-seconds are its seconds times its devices, as the GPU-seconds quota counts them. The
 * time between placement and start, when the devices were held but idle, is reported apart
 * and not in `cost`.
 */
export function chargeback(runs: readonly MeteredRun[], sheet: PriceSheet, window: BillingWindow): Bill {
  const classes = sheet.deviceClasses.map((entry) => ({
    label: entry.deviceClass,
    price: entry.perGpuSecond,
    parsed: entry.deviceClass.trim() === ANY ? null : parseDeviceClass(entry.deviceClass),
  }));
  const priceOf = (capability: DeviceCapability | null): { label: string; price: number } => {
    if (capability) {
      const found = classes.find((c) => c.parsed === null || matchesDeviceClass(c.parsed, capability));
      if (found) return found;
    }
    return { label: UNPRICED, price: 0 };
  };
  const end = Math.min(window.toMs, window.nowMs);
  const overlap = (from: number | null, to: number | null): number => {
    if (from === null) return 0;
    const a = Math.max(from, window.fromMs);
    const b = Math.min(to ?? end, end);
    return b > a ? (b - a) / 1000 : 0;
  };

  const lines = new Map<string, BillingLine & { jobIds: Set<string> }>();
  const lineOf = (tenantId: string, deviceClass: string) => {
    const key = `${tenantId}\u0000${deviceClass}`;
    let line = lines.get(key);
    if (!line) {
      line = { tenantId, deviceClass, jobs: 0, ...zero(), jobIds: new Set() };
      lines.set(key, line);
    }
    return line;
  };

  for (const run of runs) {
    const used = overlap(run.startedAtMs, run.endedAtMs);
    const idle = overlap(run.placedAtMs, run.startedAtMs ?? run.endedAtMs);
    if (run.target === 'cpu') {
      if (used === 0) continue;
      const line = lineOf(run.tenantId, CPU_FALLBACK);
      line.jobIds.add(run.jobId);
      line.cpuSeconds += used;
      line.cost += used * sheet.cpuFallbackPerSecond;
      continue;
    }
    if (used === 0 && idle === 0) continue;
    for (const device of run.devices) {
      const { label, price } = priceOf(device);
      const line = lineOf(run.tenantId, label);
      line.jobIds.add(run.jobId);
      line.gpuSeconds += used;
      line.cost += used * price;
      line.idleReservedGpuSeconds += idle;
      line.idleReservedCost += idle * price;
    }
  }

  const sorted = [...lines.values()]
    .map(({ jobIds, ...line }) => ({ ...line, ...rounded(line), jobs: jobIds.size }))
    .sort((a, b) => compare(a.tenantId, b.tenantId) || compare(a.deviceClass, b.deviceClass));
  const tenants = new Map<string, TenantBill>();
  for (const line of sorted) {
    const bill = tenants.get(line.tenantId) ?? { tenantId: line.tenantId, ...zero() };
    bill.gpuSeconds += line.gpuSeconds;
    bill.cpuSeconds += line.cpuSeconds;
    bill.cost += line.cost;
    bill.idleReservedGpuSeconds += line.idleReservedGpuSeconds;
    bill.idleReservedCost += line.idleReservedCost;
    tenants.set(line.tenantId, bill);
  }
  return { lines: sorted, tenants: [...tenants.values()].map((bill) => ({ ...bill, ...rounded(bill) })) };
}

/** What is wrong with a price sheet, one entry per field (empty when it is good). */
export function priceSheetProblems(sheet: PriceSheet): string[] {
  const problems: string[] = [];
  if (!/^[A-Z]{3}$/.test(sheet.currency)) {
    problems.push('currency: must be a three-letter ISO 4217 code such as EUR');
  }
  const price = (value: number) => Number.isFinite(value) && value >= 0;
  if (!price(sheet.cpuFallbackPerSecond)) {
    problems.push('cpuFallbackPerSecond: must be a finite price of 0 or more');
  }
  const seen = new Set<string>();
  sheet.deviceClasses.forEach((entry, i) => {
    const field = `deviceClasses[${i}]`;
    if (!price(entry.perGpuSecond))
      problems.push(`${field}.perGpuSecond: must be a finite price of 0 or more`);
    const expression = entry.deviceClass.trim();
    if (expression !== ANY) {
      try {
        parseDeviceClass(expression);
      } catch (error) {
        if (!(error instanceof DeviceClassParseError)) throw error;
        problems.push(`${field}.deviceClass: ${error.message}`);
        return;
      }
    }
    const key = expression.toLowerCase().replace(/\s+/g, '');
    if (seen.has(key)) problems.push(`${field}.deviceClass: ${expression} is priced twice`);
    seen.add(key);
  });
  return problems;
}

function zero(): Amounts {
  return { gpuSeconds: 0, cpuSeconds: 0, cost: 0, idleReservedGpuSeconds: 0, idleReservedCost: 0 };
}

// Seconds to the millisecond, money to a billionth: sums of float products print cleanly.
function rounded(amounts: Amounts): Amounts {
  const ms = (v: number) => Math.round(v * 1e3) / 1e3;
  const money = (v: number) => Math.round(v * 1e9) / 1e9;
  return {
    gpuSeconds: ms(amounts.gpuSeconds),
    cpuSeconds: ms(amounts.cpuSeconds),
    cost: money(amounts.cost),
    idleReservedGpuSeconds: ms(amounts.idleReservedGpuSeconds),
    idleReservedCost: money(amounts.idleReservedCost),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
