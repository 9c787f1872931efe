import { describe, expect, it } from '@jest/globals';
import type { DeviceClassMatcher, GpuGrant } from './gpu-grants.js';
import { grantAllows, grantedClassesFor } from './gpu-grants.js';
import { kernelMatches, kernelPatternError } from './kernel-pattern.js';

interface FakeDevice {
  model: string;
  vramGiB: number;
}

/** Stands in for the scheduler's device-class parser: `model=X` or `vram>=N`. */
const matcher: DeviceClassMatcher<FakeDevice> = (expression, device) => {
  const [field, value] = expression.split(/>=|=/);
  if (field === 'model') return device.model === value;
  if (field === 'vram') return device.vramGiB >= Number(value);
  throw new Error(`unparseable device class '${expression}'`);
};

const h100: FakeDevice = { model: 'H100', vramGiB: 80 };
const t4: FakeDevice = { model: 'T4', vramGiB: 16 };
const now = new Date('2025-03-01T00:00:00Z');

function grant(overrides: Partial<GpuGrant> = {}): GpuGrant {
  return { id: 'g1', kernels: ['motion.*'], deviceClasses: ['vram>=40'], cpuFallback: false, ...overrides };
}

describe('kernel patterns', () => {
  it.each([
    ['motion.*', 'motion.diff', true],
    ['motion.*', 'motion.diff.v2', false],
    ['motion.*', 'motion', false],
    ['motion.**', 'motion.diff.v2', true],
    ['motion.**', 'motion', false],
    ['**', 'voxel.evidence', true],
    ['*.diff', 'motion.diff', true],
    ['motion.diff', 'motion.diff', true],
    ['motion.diff', 'motion.diffs', false],
    ['motion.*', 'motionx.diff', false],
    ['motion.*', 'motion.*', false],
    ['motion.**.x', 'motion.a.x', false],
    ['motion.d?ff', 'motion.diff', false],
  ])('%s against %s → %s', (pattern, kernel, expected) => {
    expect(kernelMatches(pattern, kernel)).toBe(expected);
  });

  it('explains a malformed pattern', () => {
    expect(kernelPatternError('motion.*')).toBeNull();
    expect(kernelPatternError('')).toContain('empty');
    expect(kernelPatternError('**.diff')).toContain("'**' may only end");
    expect(kernelPatternError('motion..diff')).toContain("segment ''");
    expect(kernelPatternError('motion.d*')).toContain("segment 'd*'");
  });
});

describe('grantAllows', () => {
  it('denies by default', () => {
    expect(grantAllows([], { kernel: 'motion.diff', device: h100 }, matcher, now)).toEqual({
      allowed: false,
      reason: 'no GPU grant: GPU use is denied by default',
    });
    expect(grantAllows([], { kernel: 'motion.diff', cpu: true }, matcher, now).allowed).toBe(false);
  });

  it('allows a covered kernel on a device of a granted class, naming the grant', () => {
    expect(grantAllows([grant()], { kernel: 'motion.diff', device: h100 }, matcher, now)).toEqual({
      allowed: true,
      reason: "grant g1 allows 'motion.diff' on device class vram>=40",
      grantId: 'g1',
    });
  });

  it('says why when the kernel is not covered', () => {
    const decision = grantAllows([grant()], { kernel: 'voxel.evidence', device: h100 }, matcher, now);
    expect(decision).toEqual({ allowed: false, reason: "no grant covers kernel 'voxel.evidence'" });
  });

  it('says why when the device is outside the granted classes', () => {
    const decision = grantAllows([grant()], { kernel: 'motion.diff', device: t4 }, matcher, now);
    expect(decision).toMatchObject({ allowed: false, reason: expect.stringContaining('(vram>=40)') });
  });

  it('gives no device at all from a grant without device classes', () => {
    const cpuOnly = grant({ deviceClasses: [], cpuFallback: true });
    expect(grantAllows([cpuOnly], { kernel: 'motion.diff', device: h100 }, matcher, now).reason).toContain(
      'no device class',
    );
    expect(grantAllows([cpuOnly], { kernel: 'motion.diff', cpu: true }, matcher, now)).toMatchObject({
      allowed: true,
      grantId: 'g1',
    });
  });

  it('allows the CPU fallback only where a covering grant says so', () => {
    const use = { kernel: 'motion.diff', cpu: true as const };
    expect(grantAllows([grant()], use, matcher, now)).toEqual({
      allowed: false,
      reason: "grants for kernel 'motion.diff' do not allow CPU fallback",
    });
    const unrelated = grant({ id: 'g2', kernels: ['voxel.*'], cpuFallback: true });
    expect(grantAllows([grant(), unrelated], use, matcher, now).allowed).toBe(false);
  });

  it('combines grants: any one live grant covering kernel and device is enough', () => {
    const grants = [grant(), grant({ id: 'g2', kernels: ['**'], deviceClasses: ['model=T4'] })];
    expect(grantAllows(grants, { kernel: 'motion.diff', device: t4 }, matcher, now).grantId).toBe('g2');
    expect(grantAllows(grants, { kernel: 'reduce.sum', device: h100 }, matcher, now).allowed).toBe(false);
    const anyDevice = grant({ id: 'g3', deviceClasses: ['*'] });
    expect(grantAllows([anyDevice], { kernel: 'motion.diff', device: t4 }, matcher, now).allowed).toBe(true);
  });

  it('ignores revoked and expired grants, and treats an unreadable expiry as expired', () => {
    const use = { kernel: 'motion.diff', device: h100 };
    expect(grantAllows([grant({ revokedAt: '2025-02-01T00:00:00Z' })], use, matcher, now).allowed).toBe(
      false,
    );
    expect(grantAllows([grant({ expiresAt: now })], use, matcher, now).allowed).toBe(false);
    expect(grantAllows([grant({ expiresAt: 'someday' })], use, matcher, now).allowed).toBe(false);
    expect(grantAllows([grant({ expiresAt: '2025-03-02T00:00:00Z' })], use, matcher, now).allowed).toBe(true);
  });

  it('denies rather than throws when the matcher cannot read an expression', () => {
    const grants = [grant({ deviceClasses: ['gpu is fast', 'vram>=40'] })];
    expect(grantAllows(grants, { kernel: 'motion.diff', device: h100 }, matcher, now).allowed).toBe(true);
    expect(grantAllows(grants, { kernel: 'motion.diff', device: t4 }, matcher, now).allowed).toBe(false);
  });

  it('never matches a malformed kernel pattern', () => {
    const sloppy = grant({ kernels: ['motion*', '*.*.**.x'] });
    expect(grantAllows([sloppy], { kernel: 'motion.diff', device: h100 }, matcher, now).allowed).toBe(false);
  });
});

describe('grantedClassesFor: what a job of a kernel may run on', () => {
  it('unites the device classes of every live grant covering the kernel', () => {
    const granted = grantedClassesFor(
      [
        grant({ id: 'small', deviceClasses: ['vram<=24GiB'] }),
        grant({ id: 'hopper', kernels: ['motion.diff'], deviceClasses: ['sm_90+', 'vram<=24GiB'] }),
        grant({ id: 'other', kernels: ['voxel.*'], deviceClasses: ['*'] }),
        grant({ id: 'gone', deviceClasses: ['*'], revokedAt: '2025-02-01T00:00:00Z' }),
        grant({ id: 'old', deviceClasses: ['*'], expiresAt: '2025-02-01T00:00:00Z' }),
      ],
      'motion.diff',
      now,
    );
    expect(granted).toEqual({
      covered: true,
      deviceClasses: ['vram<=24GiB', 'sm_90+'],
      cpuFallback: false,
      grantIds: ['small', 'hopper'],
    });
  });

  it('is unrestricted (null) when a covering grant allows any device', () => {
    const granted = grantedClassesFor(
      [
        grant({ deviceClasses: ['vram<=24GiB'] }),
        grant({ id: 'g2', deviceClasses: ['*'], cpuFallback: true }),
      ],
      'motion.diff',
      now,
    );
    expect(granted).toMatchObject({ covered: true, deviceClasses: null, cpuFallback: true });
  });

  it('covers nothing when no live grant names the kernel', () => {
    expect(grantedClassesFor([grant({ kernels: ['voxel.*'] })], 'motion.diff', now)).toEqual({
      covered: false,
      deviceClasses: [],
      cpuFallback: false,
      grantIds: [],
    });
  });
});
