import { describe, expect, it } from '@jest/globals';
import type { StoredAuditEntry } from './audit-entry.js';
import { chainEntry } from './audit-chain.js';
import { verifyChain } from './verify-chain.js';
import { TENANT, auditInput, buildChain } from './testing/audit-fixtures.js';

function at(entries: StoredAuditEntry[], index: number): StoredAuditEntry {
  const entry = entries[index];
  if (entry === undefined) throw new Error(`no entry ${index}`);
  return entry;
}

/** Re-links every entry from `from` on, as someone rewriting history would. */
function rehashFrom(entries: StoredAuditEntry[], from: number): StoredAuditEntry[] {
  const out = entries.slice(0, from);
  for (const entry of entries.slice(from)) {
    const prev = out.at(-1);
    const link = chainEntry(
      prev === undefined ? null : { chainSeq: Number(prev.chainSeq), hash: prev.hash },
      entry,
    );
    out.push({ ...entry, ...link });
  }
  return out;
}

describe('verifyChain', () => {
  it('accepts an intact chain and reports its head', () => {
    const entries = buildChain(6);
    expect(verifyChain(entries)).toEqual({
      ok: true,
      checked: 6,
      head: { chainSeq: 6, hash: at(entries, 5).hash },
    });
    expect(verifyChain([])).toEqual({ ok: true, checked: 0, head: null });
  });

  it('accepts rows as the database returns them (Date at, string chain_seq)', () => {
    const rows = buildChain(3).map((e) => ({ ...e, at: new Date(e.at), chainSeq: String(e.chainSeq) }));
    expect(verifyChain(rows)).toMatchObject({ ok: true, checked: 3 });
  });

  it('catches an edited row at that row', () => {
    const entries = buildChain(5);
    entries[2] = { ...at(entries, 2), outcome: 'denied' };
    expect(verifyChain(entries)).toMatchObject({
      ok: false,
      firstBrokenSeq: 3,
      reason: 'hash-mismatch',
      checked: 5,
      breaks: [{ seq: 3, reason: 'hash-mismatch', detail: expect.any(String) }],
      brokenLinks: 1,
    });
  });

  it('reports every broken link, so an early break cannot hide a later edit', () => {
    const entries = buildChain(8);
    entries[1] = { ...at(entries, 1), outcome: 'denied' };
    const edited = { ...at(entries, 4), reason: 'rewritten' };
    entries[4] = { ...edited, ...chainEntry({ chainSeq: 4, hash: at(entries, 3).hash }, edited) };
    entries.splice(6, 1);
    const result = verifyChain(entries);
    expect(result).toMatchObject({ ok: false, firstBrokenSeq: 2, reason: 'hash-mismatch', brokenLinks: 3 });
    expect(result.ok ? [] : result.breaks.map((b) => [b.seq, b.reason])).toEqual([
      [2, 'hash-mismatch'],
      [6, 'prev-hash-mismatch'],
      [7, 'seq-gap'],
    ]);
  });

  it('verifies an entry whose text Postgres stores differently (NUL, unpaired surrogates) as stored', () => {
    const input = auditInput({
      reason: 'probe \uD800 and \u0000',
      resource: { type: 'stream', id: '\uDC00x' },
      diff: { ['name\uD83D']: { before: null, after: 'ok 🎥 \uDFFF' } },
    });
    const link = chainEntry(null, input);
    // What the row reads back: the driver wrote U+FFFD for each such unit.
    const stored: StoredAuditEntry = {
      ...input,
      reason: 'probe \uFFFD and \uFFFD',
      resource: { type: 'stream', id: '\uFFFDx' },
      diff: { ['name\uFFFD']: { before: null, after: 'ok 🎥 \uFFFD' } },
      ...link,
    };
    expect(verifyChain([stored])).toEqual({ ok: true, checked: 1, head: { chainSeq: 1, hash: link.hash } });
  });

  it('catches an edited diff nested inside a row', () => {
    const entries = buildChain(3);
    entries[1] = { ...at(entries, 1), diff: { 'gpus.max': { before: 2, after: 40 } } };
    expect(verifyChain(entries)).toMatchObject({ ok: false, firstBrokenSeq: 2, reason: 'hash-mismatch' });
  });

  it('catches an edited row whose own hash was recomputed at the next row', () => {
    const entries = buildChain(5);
    const edited = { ...at(entries, 2), reason: 'nothing to see' };
    entries[2] = { ...edited, ...chainEntry({ chainSeq: 2, hash: at(entries, 1).hash }, edited) };
    expect(verifyChain(entries)).toMatchObject({
      ok: false,
      firstBrokenSeq: 4,
      reason: 'prev-hash-mismatch',
    });
  });

  it('catches a deleted row as a gap naming the missing seq', () => {
    const entries = buildChain(5);
    entries.splice(1, 1);
    expect(verifyChain(entries)).toMatchObject({ ok: false, firstBrokenSeq: 2, reason: 'seq-gap' });
  });

  it('catches a deleted row whose followers were renumbered', () => {
    const entries = buildChain(5);
    entries.splice(1, 1);
    const renumbered = entries.map((e, i) => ({ ...e, chainSeq: i + 1 }));
    expect(verifyChain(renumbered)).toMatchObject({
      ok: false,
      firstBrokenSeq: 2,
      reason: 'prev-hash-mismatch',
    });
  });

  it('catches a deleted first row', () => {
    const entries = buildChain(3)
      .slice(1)
      .map((e, i) => ({ ...e, chainSeq: i + 1 }));
    expect(verifyChain(entries)).toMatchObject({
      ok: false,
      firstBrokenSeq: 1,
      reason: 'prev-hash-mismatch',
    });
  });

  it('catches two rows handed over out of order', () => {
    const entries = buildChain(4);
    [entries[1], entries[2]] = [at(entries, 2), at(entries, 1)];
    expect(verifyChain(entries)).toMatchObject({ ok: false, reason: 'seq-gap', firstBrokenSeq: 2 });
    const swappedBack = buildChain(4);
    [swappedBack[2], swappedBack[3]] = [at(swappedBack, 3), at(swappedBack, 2)];
    expect(verifyChain(swappedBack)).toMatchObject({ ok: false, reason: 'seq-gap', firstBrokenSeq: 3 });
  });

  it('catches rows whose contents were swapped while keeping their seq', () => {
    const entries = buildChain(4);
    const a = at(entries, 1);
    const b = at(entries, 2);
    entries[1] = { ...b, chainSeq: a.chainSeq, prevHash: a.prevHash, hash: a.hash };
    entries[2] = { ...a, chainSeq: b.chainSeq, prevHash: b.prevHash, hash: b.hash };
    expect(verifyChain(entries)).toMatchObject({ ok: false, reason: 'hash-mismatch', firstBrokenSeq: 2 });
  });

  it('catches a row repeated out of order', () => {
    const entries = buildChain(3);
    entries.push(at(entries, 1));
    expect(verifyChain(entries)).toMatchObject({ ok: false, reason: 'seq-out-of-order', firstBrokenSeq: 2 });
  });

  it('catches a row from another chain', () => {
    const entries = buildChain(3);
    const foreign = buildChain(3, 'platform');
    entries[2] = at(foreign, 2);
    expect(verifyChain(entries)).toMatchObject({ ok: false, reason: 'chain-mismatch', firstBrokenSeq: 3 });
  });

  it('reports a malformed row instead of throwing', () => {
    const entries = buildChain(3);
    entries[1] = { ...at(entries, 1), at: 'yesterday' };
    expect(verifyChain(entries)).toMatchObject({ ok: false, reason: 'malformed', firstBrokenSeq: 2 });
  });

  describe('ranges and checkpoints', () => {
    it('verifies a range from the entry before it', () => {
      const entries = buildChain(6);
      const anchor = { chainSeq: 3, hash: at(entries, 2).hash };
      expect(verifyChain(entries.slice(3), { anchor })).toMatchObject({ ok: true, checked: 3 });
      expect(verifyChain(entries.slice(4), { anchor })).toMatchObject({ ok: false, reason: 'seq-gap' });
      const wrongAnchor = { chainSeq: 3, hash: at(entries, 1).hash };
      expect(verifyChain(entries.slice(3), { anchor: wrongAnchor })).toMatchObject({
        ok: false,
        reason: 'prev-hash-mismatch',
        firstBrokenSeq: 4,
      });
    });

    it('passes an intact chain against its checkpoints', () => {
      const entries = buildChain(6);
      const checkpoints = [2, 6].map((seq) => ({
        chain: TENANT,
        chainSeq: seq,
        hash: at(entries, seq - 1).hash,
      }));
      expect(verifyChain(entries, { checkpoints })).toMatchObject({ ok: true, checked: 6 });
    });

    it('catches rows cut off the tail below a checkpoint, which the links alone cannot', () => {
      const entries = buildChain(6);
      const checkpoints = [{ chain: TENANT, chainSeq: 5, hash: at(entries, 4).hash }];
      const truncated = entries.slice(0, 3);
      expect(verifyChain(truncated)).toMatchObject({ ok: true });
      expect(verifyChain(truncated, { checkpoints })).toMatchObject({
        ok: false,
        reason: 'truncated',
        firstBrokenSeq: 4,
        checked: 3,
      });
      expect(verifyChain([], { checkpoints })).toMatchObject({
        ok: false,
        reason: 'truncated',
        firstBrokenSeq: 1,
      });
    });

    it('allows entries appended after the last checkpoint', () => {
      const entries = buildChain(6);
      const checkpoints = [{ chain: TENANT, chainSeq: 4, hash: at(entries, 3).hash }];
      expect(verifyChain(entries, { checkpoints })).toMatchObject({ ok: true });
    });

    it('catches a rewritten, consistently re-hashed suffix against a checkpoint', () => {
      const entries = buildChain(6);
      const checkpoints = [{ chain: TENANT, chainSeq: 5, hash: at(entries, 4).hash }];
      entries[2] = { ...at(entries, 2), outcome: 'failed' };
      const rewritten = rehashFrom(entries, 2);
      expect(verifyChain(rewritten)).toMatchObject({ ok: true });
      expect(verifyChain(rewritten, { checkpoints })).toMatchObject({
        ok: false,
        reason: 'checkpoint-mismatch',
        firstBrokenSeq: 5,
      });
    });

    it('refuses a checkpoint of another chain', () => {
      const entries = buildChain(2);
      const checkpoints = [{ chain: 'platform', chainSeq: 1, hash: at(entries, 0).hash }];
      expect(() => verifyChain(entries, { checkpoints })).toThrow("checkpoint for chain 'platform'");
    });
  });
});
