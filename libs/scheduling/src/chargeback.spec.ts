import { describe, expect, it } from '@jest/globals';
import { chargeback, priceSheetProblems, type MeteredRun, type PriceSheet } from './chargeback.js';
import { AMPERE_40G, aDevice } from './testing/fixtures.js';

const HOPPER = aDevice().capability;
const SHEET: PriceSheet = {
  currency: 'EUR',
  deviceClasses: [
    { deviceClass: 'sm_90+', perGpuSecond: 0.002 },
    { deviceClass: '*', perGpuSecond: 0.001 },
  ],
  cpuFallbackPerSecond: 0.0001,
};
const WINDOW = { fromMs: 0, toMs: 100_000, nowMs: 200_000 };

function run(overrides: Partial<MeteredRun> = {}): MeteredRun {
  return {
    jobId: 'j1',
    tenantId: 't1',
    target: 'gpu',
    devices: [HOPPER],
    placedAtMs: 10_000,
    startedAtMs: 12_000,
    endedAtMs: 22_000,
    ...overrides,
  };
}

describe('chargeback', () => {
  it('bills GPU-seconds per device by the first price class the device matches', () => {
    const bill = chargeback([run(), run({ jobId: 'j2', devices: [AMPERE_40G, AMPERE_40G] })], SHEET, WINDOW);
    expect(bill.lines).toEqual([
      {
        tenantId: 't1',
        deviceClass: '*',
        jobs: 1,
        gpuSeconds: 20,
        cpuSeconds: 0,
        cost: 0.02,
        idleReservedGpuSeconds: 4,
        idleReservedCost: 0.004,
      },
      {
        tenantId: 't1',
        deviceClass: 'sm_90+',
        jobs: 1,
        gpuSeconds: 10,
        cpuSeconds: 0,
        cost: 0.02,
        idleReservedGpuSeconds: 2,
        idleReservedCost: 0.004,
      },
    ]);
    expect(bill.tenants).toEqual([
      {
        tenantId: 't1',
        gpuSeconds: 30,
        cpuSeconds: 0,
        cost: 0.04,
        idleReservedGpuSeconds: 6,
        idleReservedCost: 0.008,
      },
    ]);
  });

  it('bills CPU-fallback seconds at their own price, and a device no class prices at nothing', () => {
    const sheet: PriceSheet = { ...SHEET, deviceClasses: [{ deviceClass: 'sm_90+', perGpuSecond: 1 }] };
    const bill = chargeback(
      [
        run({ target: 'cpu', devices: [] }),
        run({ jobId: 'j2', devices: [AMPERE_40G] }),
        run({ jobId: 'j3', devices: [null] }),
      ],
      sheet,
      WINDOW,
    );
    expect(bill.lines.map((l) => [l.deviceClass, l.gpuSeconds, l.cpuSeconds, l.cost])).toEqual([
      ['cpu-fallback', 0, 10, 0.001],
      ['unpriced', 20, 0, 0],
    ]);
  });

  it('clips runs to the window and bills a running job up to now', () => {
    const bill = chargeback(
      [
        run({ placedAtMs: -5_000, startedAtMs: -4_000, endedAtMs: 6_000 }),
        run({ jobId: 'j2', placedAtMs: 95_000, startedAtMs: 96_000, endedAtMs: null }),
      ],
      SHEET,
      { fromMs: 0, toMs: 100_000, nowMs: 98_000 },
    );
    expect(bill.lines[0]).toMatchObject({ jobs: 2, gpuSeconds: 8, idleReservedGpuSeconds: 1 });
  });

  it('counts a job that was placed but stopped before it started as idle reserved time only', () => {
    const bill = chargeback([run({ startedAtMs: null, endedAtMs: 15_000 })], SHEET, WINDOW);
    expect(bill.lines[0]).toMatchObject({ gpuSeconds: 0, idleReservedGpuSeconds: 5, cost: 0 });
  });
});

describe('priceSheetProblems', () => {
  it('names each bad field', () => {
    expect(
      priceSheetProblems({
        currency: 'euro',
        deviceClasses: [
          { deviceClass: 'sm_90+', perGpuSecond: -1 },
          { deviceClass: 'vram>=lots', perGpuSecond: 1 },
          { deviceClass: 'sm_90+', perGpuSecond: 1 },
        ],
        cpuFallbackPerSecond: Number.NaN,
      }),
    ).toEqual([
      'currency: must be a three-letter ISO 4217 code such as EUR',
      'cpuFallbackPerSecond: must be a finite price of 0 or more',
      'deviceClasses[0].perGpuSecond: must be a finite price of 0 or more',
      expect.stringContaining('deviceClasses[1].deviceClass: invalid device-class token "vram>=lots"'),
      'deviceClasses[2].deviceClass: sm_90+ is priced twice',
    ]);
    expect(priceSheetProblems(SHEET)).toEqual([]);
  });
});
