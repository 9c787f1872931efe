import { describe, expect, it } from '@jest/globals';
import { canonicalJson, digestOf } from './canonical-json.js';
import { recordDecision, replayDecision } from './decision-record.js';

describe('canonical JSON', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, undefined], c: undefined, b: 'x' } })).toBe(
      '{"a":{"b":"x","d":[3,null]},"b":1}',
    );
    expect(digestOf({ x: 1, y: 2 })).toBe(digestOf({ y: 2, x: 1 }));
    expect(digestOf({ x: 1 })).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses values JSON cannot carry faithfully', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow('NaN');
    const loop: Record<string, unknown> = {};
    loop['self'] = loop;
    expect(() => canonicalJson(loop)).toThrow('cycle');
  });
});

describe('decision records', () => {
  const decide = (inputs: { values: number[] }, seed: number | string): { pick: number } => ({
    pick: inputs.values[Number(seed) % inputs.values.length] ?? -1,
  });

  it('replays to the same choice from the same inputs and seed', () => {
    const inputs = { values: [5, 6, 7] };
    const record = recordDecision({
      kind: 'placement',
      atMs: 1,
      seed: 2,
      inputs,
      choice: decide(inputs, 2),
      reason: 'test',
    });
    expect(replayDecision(record, { values: [5, 6, 7] }, decide)).toEqual({ ok: true });
  });

  it('flags changed inputs and a changed decision', () => {
    const inputs = { values: [5, 6, 7] };
    const record = recordDecision({
      kind: 'placement',
      atMs: 1,
      seed: 2,
      inputs,
      choice: { pick: 6 },
      reason: 'test',
      tenantId: 't',
    });
    expect(record.tenantId).toBe('t');
    expect(replayDecision(record, { values: [5, 6, 8] }, decide)).toMatchObject({
      ok: false,
      mismatch: 'inputs',
    });
    expect(replayDecision(record, inputs, decide)).toMatchObject({ ok: false, mismatch: 'choice' });
  });
});
