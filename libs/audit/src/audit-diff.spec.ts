import { describe, expect, it } from '@jest/globals';
import { auditDiffOf, diffOf } from './audit-diff.js';
import { REDACTED } from './secret-scrubber.js';

describe('diffOf', () => {
  const quota = {
    gpus: 2,
    vram: { perDeviceBytes: 8e9, totalBytes: 16e9 },
    flags: ['multi-gpu'],
    note: null,
  };

  it('lists only changed leaves by dotted path', () => {
    const after = { ...quota, vram: { ...quota.vram, totalBytes: 32e9 }, gpus: 4 };
    expect(diffOf(quota, after)).toEqual({
      gpus: { before: 2, after: 4 },
      'vram.totalBytes': { before: 16e9, after: 32e9 },
    });
  });

  it('tells a removed or added field from one set to null', () => {
    const { note: _note, ...withoutNote } = quota;
    expect(diffOf(quota, { ...withoutNote, owner: null })).toEqual({
      note: { before: null },
      owner: { after: null },
    });
  });

  it('shows arrays whole and ignores key order', () => {
    const reordered = {
      note: null,
      flags: ['multi-gpu'],
      vram: { totalBytes: 16e9, perDeviceBytes: 8e9 },
      gpus: 2,
    };
    expect(diffOf(quota, reordered)).toEqual({});
    expect(diffOf(quota, { ...quota, flags: ['multi-gpu', 'cpu-fallback'] })).toEqual({
      flags: { before: ['multi-gpu'], after: ['multi-gpu', 'cpu-fallback'] },
    });
  });

  it('lists every field on creation and deletion', () => {
    expect(diffOf(null, { gpus: 1 })).toEqual({ gpus: { after: 1 } });
    expect(diffOf({ gpus: 1 }, null)).toEqual({ gpus: { before: 1 } });
  });

  it('shows a rotated secret as changed without either value', () => {
    const diff = diffOf({ label: 'ci', keyHash: 'old' }, { label: 'ci', keyHash: 'new', secret: 'x' });
    expect(diff).toEqual({ keyHash: { before: REDACTED, after: REDACTED }, secret: { after: REDACTED } });
    expect(JSON.stringify(diff)).not.toMatch(/old|new|"x"/);
  });

  it('gives null for the stored diff when nothing changed', () => {
    expect(auditDiffOf(quota, { ...quota })).toBeNull();
    expect(auditDiffOf(quota, { ...quota, gpus: 3 })).toEqual({ gpus: { before: 2, after: 3 } });
  });
});

describe('diffOf with secrets nested in objects', () => {
  it('redacts every leaf below a secret key and secret-looking values anywhere', () => {
    const diff = diffOf(
      { credentials: { user: 'a', pass: 'b' }, note: 'x' },
      { credentials: { user: 'c', pass: 'd' }, note: 'Bearer abcdefghijklmnop' },
    );
    expect(diff).toEqual({
      'credentials.pass': { before: REDACTED, after: REDACTED },
      'credentials.user': { before: REDACTED, after: REDACTED },
      note: { before: 'x', after: REDACTED },
    });
  });
});

describe('diffOf with awkward field names', () => {
  it('treats fields named like Object.prototype members as ordinary fields', () => {
    expect(diffOf({}, { valueOf: 0, __proto__x: 1 })).toEqual({
      valueOf: { after: 0 },
      __proto__x: { after: 1 },
    });
    const withProto = JSON.parse('{"__proto__": {"gpus": 1}}') as Record<string, unknown>;
    const diff = diffOf(null, withProto);
    expect(Object.keys(diff)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(diff)).toBe(Object.prototype);
  });
});
