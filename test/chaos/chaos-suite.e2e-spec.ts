import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ChaosReport } from '../../bench/chaos/lib/chaos-report.js';
import { runChaos } from '../../bench/chaos/lib/run-chaos.js';

/**
 * The CI-sized chaos run (`npm run build` first): the whole stack as separate processes on a
 * private Postgres and Redis, one gpu-node SIGKILL and one Redis restart under load, a few
 * hundred fast-check cases per input surface, and the cross-tenant checks. `npm run chaos`
 * runs the same harness with every fault, more cases and the 30-minute soak.
 */
describe('chaos suite (CI subset)', () => {
  let report: ChaosReport;
  const workDir = mkdtempSync(join(tmpdir(), 'vf-chaos-ci-'));

  beforeAll(async () => {
    report = await runChaos({
      parts: ['fuzz', 'isolation', 'faults'],
      ports: { appBase: 5400, postgres: 5441, redis: 6391 },
      workDir,
      faults: ['gpu-node-sigkill', 'redis-restart'],
      soakMinutes: 0,
      fuzzCasesPerOperation: 6,
      fuzzCasesPerSurface: 200,
      hostileCasesPerApp: 60,
      jobsPerSecond: 3,
      adminCallsPerSecond: 2,
      frameFps: 3,
      nodeLostAfterMs: 3_000,
      seed: 9,
      rssLimits: { totalMb: 64, secondHalfMb: 16 },
    });
  }, 300_000);

  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('survives a gpu-node SIGKILL and a Redis restart: recovered, audit chain intact, runbook steps seen', () => {
    expect(report.faults.map((f) => f.name)).toEqual(['gpu-node-sigkill', 'redis-restart']);
    for (const fault of report.faults) {
      expect({ fault: fault.name, recovered: fault.recovered, audit: fault.auditVerifies }).toEqual({
        fault: fault.name,
        recovered: true,
        audit: true,
      });
      expect(fault.detection.filter((d) => !d.ok)).toEqual([]);
    }
    const nodeLost = report.faults[0]?.runbookSteps.filter((s) => s.kind !== 'alert') ?? [];
    expect(nodeLost.length).toBeGreaterThan(0);
    expect(nodeLost.filter((s) => !s.ok)).toEqual([]);
  });

  it('loses no job and completes none twice', () => {
    expect(report.ledger?.accepted).toBeGreaterThan(20);
    expect(report.ledger?.lost).toEqual([]);
    expect(report.ledger?.unacknowledged.unfinished).toEqual([]);
    expect(report.ledger?.duplicateCompletions).toEqual([]);
  });

  it('answers bad input on every surface without a 5xx, a crash or a changed row', () => {
    expect(report.fuzz.map((s) => s.surface)).toEqual([
      'gateway-rest',
      'tracker-rest',
      'frame-uploads',
      'metadata-imports',
      'kernel-manifests',
      'socket.io',
      'gateway-hostile-bytes',
      'tracker-hostile-bytes',
      'socket.io-hostile',
    ]);
    for (const surface of report.fuzz)
      expect(surface.cases).toBeGreaterThanOrEqual(surface.surface.includes('hostile') ? 25 : 190);
    expect(report.fuzz.flatMap((s) => s.findings)).toEqual([]);
    expect(report.auditChainsBroken).toBe(0);
  });

  it("refuses tenant B every one of tenant A's objects and events, and prints no API key", () => {
    expect(report.isolation?.cases.length).toBeGreaterThan(30);
    expect(report.isolation?.cases.filter((c) => !c.ok)).toEqual([]);
    expect(report.isolation?.keyLeaks).toEqual([]);
    expect(report.isolation?.linesScanned).toBeGreaterThan(100);
  });
});
