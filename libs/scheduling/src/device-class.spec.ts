import { describe, expect, it } from '@jest/globals';
import { DeviceClassParseError, matchesDeviceClass, parseDeviceClass } from './device-class.js';
import { AMPERE_40G, aDevice } from './testing/fixtures.js';
import { GIB } from './units.js';

const hopper = aDevice().capability;
const cpuOnly = {
  vendor: 'intel',
  architecture: 'x86',
  memoryBytes: 64 * GIB,
  precisions: [],
  tensorCores: false,
} as const;

function matches(expression: string, capability = hopper): boolean {
  return matchesDeviceClass(parseDeviceClass(expression), capability);
}

describe('parseDeviceClass', () => {
  it('parses every term kind', () => {
    const parsed = parseDeviceClass(
      'sm_90+, vram>=40GiB,arch=Hopper,vendor=nvidia,precision=fp8,tensor-cores',
    );
    expect(parsed.terms).toEqual([
      { kind: 'compute-capability', major: 9, minor: 0, orNewer: true },
      { kind: 'vram', op: '>=', bytes: 40 * GIB },
      { kind: 'arch', name: 'hopper' },
      { kind: 'vendor', name: 'nvidia' },
      { kind: 'precision', precision: 'fp8' },
      { kind: 'tensor-cores' },
    ]);
  });

  it('reads three-digit compute capabilities as major.minor', () => {
    expect(parseDeviceClass('sm_120').terms[0]).toEqual({
      kind: 'compute-capability',
      major: 12,
      minor: 0,
      orNewer: false,
    });
  });

  it('accepts decimal and SI units', () => {
    expect(parseDeviceClass('vram>1.5GB').terms[0]).toEqual({ kind: 'vram', op: '>', bytes: 1.5e9 });
  });

  it.each([
    ['sm_9x', 'sm_9x', 0],
    ['sm_90,,arch=hopper', '', 6],
    ['sm_90, vram>=40 lightyears', 'vram>=40 lightyears', 7],
    ['arch=hopper,precision=fp4', 'precision=fp4', 12],
    ['gpu', 'gpu', 0],
    ['', '', 0],
  ])('names the bad token in %j', (source, token, position) => {
    let caught: unknown;
    try {
      parseDeviceClass(source);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DeviceClassParseError);
    const error = caught as DeviceClassParseError;
    expect(error.token).toBe(token);
    expect(error.position).toBe(position);
    expect(error.message).toContain(`"${token}"`);
  });
});

describe('matchesDeviceClass', () => {
  it('treats sm_NN+ as at least and sm_NN as exactly', () => {
    expect(matches('sm_90+')).toBe(true);
    expect(matches('sm_80+')).toBe(true);
    expect(matches('sm_100+')).toBe(false);
    expect(matches('sm_90')).toBe(true);
    expect(matches('sm_80')).toBe(false);
    expect(matches('sm_80', AMPERE_40G)).toBe(true);
    expect(matches('sm_86+', AMPERE_40G)).toBe(false);
  });

  it('never matches sm_ terms on devices without a compute capability', () => {
    expect(matches('sm_50+', cpuOnly)).toBe(false);
  });

  it('compares memory with each operator', () => {
    expect(matches('vram>=80GiB')).toBe(true);
    expect(matches('vram>80GiB')).toBe(false);
    expect(matches('vram<=40GiB', AMPERE_40G)).toBe(true);
    expect(matches('vram<40GiB', AMPERE_40G)).toBe(false);
    expect(matches('vram=40GiB', AMPERE_40G)).toBe(true);
  });

  it('requires every term (comma is and)', () => {
    expect(matches('arch=hopper,precision=fp8,tensor-cores')).toBe(true);
    expect(matches('arch=ampere,vram>=40GiB', AMPERE_40G)).toBe(true);
    expect(matches('arch=ampere,precision=fp8', AMPERE_40G)).toBe(false);
    expect(matches('vendor=amd')).toBe(false);
    expect(matches('tensor-cores', cpuOnly)).toBe(false);
  });
});
