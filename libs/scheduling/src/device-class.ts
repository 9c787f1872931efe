import type { DeviceCapability, Precision } from './snapshot.types.js';
import { BYTE_UNITS } from './units.js';

export type Comparison = '>=' | '>' | '<=' | '<' | '=';

/** One parsed term of a device-class expression; all terms must hold (`,` means and). */
export type DeviceClassTerm =
  | {
      readonly kind: 'compute-capability';
      readonly major: number;
      readonly minor: number;
      readonly orNewer: boolean;
    }
  | { readonly kind: 'vram'; readonly op: Comparison; readonly bytes: number }
  | { readonly kind: 'arch'; readonly name: string }
  | { readonly kind: 'vendor'; readonly name: string }
  | { readonly kind: 'precision'; readonly precision: Precision }
  | { readonly kind: 'tensor-cores' }
  /**
   * Holds when any one of the classes holds: the device classes a job's GPU grants allow
   * (see granted-classes.ts). Never parsed from an expression; built from the grants.
   */
  | { readonly kind: 'any-of'; readonly label: string; readonly classes: readonly DeviceClass[] };

export interface DeviceClass {
  readonly source: string;
  readonly terms: readonly DeviceClassTerm[];
}

export class DeviceClassParseError extends Error {
  constructor(
    readonly token: string,
    readonly position: number,
    detail: string,
  ) {
    super(`invalid device-class token "${token}" at position ${position}: ${detail}`);
    this.name = 'DeviceClassParseError';
  }
}

const PRECISIONS: readonly Precision[] = ['fp64', 'fp32', 'tf32', 'fp16', 'bf16', 'fp8', 'int8'];
const SM_PATTERN = /^sm_(\d{2,3})(\+?)$/;
const VRAM_PATTERN = /^vram\s*(>=|<=|>|<|=)\s*(\d+(?:\.\d+)?)\s*([a-z]*)$/;
const KEY_VALUE_PATTERN = /^(arch|vendor|precision)\s*=\s*([a-z0-9_-]+)$/;

/**
 * Parses `sm_90+`, `sm_80`, `vram>=40GiB`, `arch=hopper`, `vendor=nvidia`, `precision=fp8`,
 * `tensor-cores`, joined by `,`. Case-insensitive; spaces around tokens are ignored.
 */
export function parseDeviceClass(source: string): DeviceClass {
  const terms: DeviceClassTerm[] = [];
  let offset = 0;
  for (const raw of source.split(',')) {
    const leading = raw.length - raw.trimStart().length;
    const token = raw.trim();
    terms.push(parseTerm(token, offset + leading));
    offset += raw.length + 1;
  }
  return { source, terms };
}

function parseTerm(token: string, position: number): DeviceClassTerm {
  const lower = token.toLowerCase();
  if (lower === '') throw new DeviceClassParseError(token, position, 'empty term');
  if (lower === 'tensor-cores') return { kind: 'tensor-cores' };

  const sm = SM_PATTERN.exec(lower);
  if (sm) {
    const digits = sm[1] ?? '';
    return {
      kind: 'compute-capability',
      major: Number(digits.slice(0, -1)),
      minor: Number(digits.slice(-1)),
      orNewer: sm[2] === '+',
    };
  }

  if (lower.startsWith('vram')) {
    const vram = VRAM_PATTERN.exec(lower);
    if (!vram) throw new DeviceClassParseError(token, position, 'expected e.g. vram>=40GiB');
    const unit = vram[3] === '' ? 'b' : (vram[3] ?? 'b');
    const multiplier = BYTE_UNITS[unit];
    if (multiplier === undefined) {
      throw new DeviceClassParseError(token, position, `unknown unit "${vram[3]}"`);
    }
    return { kind: 'vram', op: vram[1] as Comparison, bytes: Number(vram[2]) * multiplier };
  }

  const keyValue = KEY_VALUE_PATTERN.exec(lower);
  if (keyValue) {
    const value = keyValue[2] ?? '';
    if (keyValue[1] === 'arch') return { kind: 'arch', name: value };
    if (keyValue[1] === 'vendor') return { kind: 'vendor', name: value };
    const precision = PRECISIONS.find((p) => p === value);
    if (!precision) {
      throw new DeviceClassParseError(
        token,
        position,
        `unknown precision, expected one of ${PRECISIONS.join(', ')}`,
      );
    }
    return { kind: 'precision', precision };
  }

  throw new DeviceClassParseError(
    token,
    position,
    'expected sm_NN, sm_NN+, vram<op><size>, arch=, vendor=, precision= or tensor-cores',
  );
}

export function matchesDeviceClass(deviceClass: DeviceClass, capability: DeviceCapability): boolean {
  return deviceClass.terms.every((term) => matchesTerm(term, capability));
}

/** The first term a device fails, for reasons such as "gpu-0 fails sm_90+". */
export function firstUnmetTerm(
  deviceClass: DeviceClass,
  capability: DeviceCapability,
): DeviceClassTerm | null {
  return deviceClass.terms.find((term) => !matchesTerm(term, capability)) ?? null;
}

function matchesTerm(term: DeviceClassTerm, capability: DeviceCapability): boolean {
  switch (term.kind) {
    case 'compute-capability': {
      const cc = capability.computeCapability;
      if (!cc) return false;
      if (!term.orNewer) return cc.major === term.major && cc.minor === term.minor;
      return cc.major > term.major || (cc.major === term.major && cc.minor >= term.minor);
    }
    case 'vram':
      return compare(capability.memoryBytes, term.op, term.bytes);
    case 'arch':
      return capability.architecture.toLowerCase() === term.name;
    case 'vendor':
      return capability.vendor.toLowerCase() === term.name;
    case 'precision':
      return capability.precisions.includes(term.precision);
    case 'tensor-cores':
      return capability.tensorCores;
    case 'any-of':
      return term.classes.some((deviceClass) => matchesDeviceClass(deviceClass, capability));
  }
}

function compare(actual: number, op: Comparison, expected: number): boolean {
  switch (op) {
    case '>=':
      return actual >= expected;
    case '>':
      return actual > expected;
    case '<=':
      return actual <= expected;
    case '<':
      return actual < expected;
    case '=':
      return actual === expected;
  }
}

export function describeTerm(term: DeviceClassTerm): string {
  switch (term.kind) {
    case 'compute-capability':
      return `sm_${term.major}${term.minor}${term.orNewer ? '+' : ''}`;
    case 'vram':
      return `vram${term.op}${term.bytes}B`;
    case 'arch':
      return `arch=${term.name}`;
    case 'vendor':
      return `vendor=${term.name}`;
    case 'precision':
      return `precision=${term.precision}`;
    case 'tensor-cores':
      return 'tensor-cores';
    case 'any-of':
      return term.label;
  }
}
