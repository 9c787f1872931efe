import { describe, expect, it } from '@jest/globals';
import type { Vec3 } from '../math/mat3.js';
import { HOTA_ALPHAS, motMetrics, type MotFrame } from './mot-metrics.js';

/**
 * Worked examples, counted by hand from TrackEval's definitions (clear.py, identity.py,
 * hota.py) with similarity s = max(0, 1 - d / 2): CLEAR and Identity match at d <= 1.
 * Positions lie on the x axis; the sums in the expectations are the hand derivation.
 */
const at = (x: number): Vec3 => [x, 0, 0];
const o = (id: number, x: number) => ({ id, position: at(x) });
const A = 1;
const B = 2;
const [X, Y, Z, W] = [11, 12, 13, 14];

describe('CLEAR MOT, IDF1 and HOTA with a 3D distance similarity', () => {
  /*
   * t0: A@0, B@10; X@0 (s 1), Y@10 (s 1)
   * t1: A@0, B@10; X@0 (s 1), Z@10 (s 1)          B: Y -> Z, an id switch
   * t2: A@0, B@10; X@0.62 (s 0.69)                B missed
   * t3: A@0, B@10; X@0, Z@10, W@5 (s 0 to both)   W a false positive; B picked up again: a fragmentation
   */
  const twoTargets: MotFrame[] = [
    { truth: [o(A, 0), o(B, 10)], tracks: [o(X, 0), o(Y, 10)] },
    { truth: [o(A, 0), o(B, 10)], tracks: [o(X, 0), o(Z, 10)] },
    { truth: [o(A, 0), o(B, 10)], tracks: [o(X, 0.62)] },
    { truth: [o(A, 0), o(B, 10)], tracks: [o(X, 0), o(Z, 10), o(W, 5)] },
  ];

  it('counts CLEAR MOT as clear.py does', () => {
    const { clear } = motMetrics(twoTargets, { zeroDistance: 2 });
    expect(clear).toMatchObject({ tp: 7, fn: 1, fp: 1, idSwitches: 1, fragmentations: 1 });
    expect(clear.mota).toBeCloseTo((7 - 1 - 1) / 8, 12);
    expect(clear.motp).toBeCloseTo((6 + 0.69) / 7, 12);
    expect(clear.rmse).toBeCloseTo(Math.sqrt(0.62 ** 2 / 7), 12);
    // A matched 4/4 (mostly tracked), B 3/4 (partially).
    expect(clear).toMatchObject({ mostlyTracked: 1, partiallyTracked: 1, mostlyLost: 0 });
  });

  it('matches identities globally as identity.py does', () => {
    const { identity } = motMetrics(twoTargets, { zeroDistance: 2 });
    // Co-occurrences: A-X 4, B-Y 1, B-Z 2; the best one-to-one pairing keeps A-X and B-Z.
    expect(identity).toMatchObject({ idtp: 6, idfn: 8 - 6, idfp: 8 - 6 });
    expect(identity.idf1).toBeCloseTo(6 / (6 + 1 + 1), 12);
  });

  it('averages HOTA over the 19 alphas as hota.py does', () => {
    const { hota } = motMetrics(twoTargets, { zeroDistance: 2 });
    expect(HOTA_ALPHAS).toHaveLength(19);
    // alpha <= 0.65 (13 values): all 7 matches count. Matches per id pair A-X 4, B-Y 1, B-Z 2;
    // id counts A 4, B 4, X 4, Y 1, Z 2.
    const detLow = 7 / (7 + 1 + 1);
    const assLow = (16 / (4 + 4 - 4) + 1 / (4 + 1 - 1) + 4 / (4 + 2 - 2)) / 7;
    // alpha >= 0.70 (6 values): the t2 match (s 0.69) drops: TP 6, FN 2, FP 2; A-X 3.
    const detHigh = 6 / (6 + 2 + 2);
    const assHigh = (9 / (4 + 4 - 3) + 1 / 4 + 4 / 4) / 6;
    expect(hota.detAPerAlpha[12]).toBeCloseTo(detLow, 12);
    expect(hota.detAPerAlpha[13]).toBeCloseTo(detHigh, 12);
    expect(hota.detA).toBeCloseTo((13 * detLow + 6 * detHigh) / 19, 12);
    expect(hota.assA).toBeCloseTo((13 * assLow + 6 * assHigh) / 19, 12);
    const hotaLow = Math.sqrt(detLow * assLow);
    const hotaHigh = Math.sqrt(detHigh * assHigh);
    expect(hota.hota).toBeCloseTo((13 * hotaLow + 6 * hotaHigh) / 19, 12);
    expect(hota.locA).toBeCloseTo((13 * ((6 + 0.69) / 7) + 6 * 1) / 19, 12);
  });

  /*
   * t0: A@0; X@0 (s 1)
   * t1: A@0; X@0.82 (s 0.59), Y@0 (s 1)
   * CLEAR keeps the previous step's match (X) over the closer Y; HOTA picks by the global
   * alignment score, which also prefers X, and drops it for alpha > 0.59 without rematching.
   */
  const continuation: MotFrame[] = [
    { truth: [o(A, 0)], tracks: [o(X, 0)] },
    { truth: [o(A, 0)], tracks: [o(X, 0.82), o(Y, 0)] },
  ];

  it('keeps a continuing match in CLEAR and counts the closer track as a false positive', () => {
    const { clear, identity } = motMetrics(continuation, { zeroDistance: 2 });
    expect(clear).toMatchObject({ tp: 2, fn: 0, fp: 1, idSwitches: 0, fragmentations: 0 });
    expect(clear.mota).toBeCloseTo(0.5, 12);
    expect(clear.motp).toBeCloseTo((1 + 0.59) / 2, 12);
    // Co-occurrences A-X 2, A-Y 1: IDTP 2, IDFP 1.
    expect(identity.idf1).toBeCloseTo(2 / (2 + 0.5), 12);
  });

  it('scores the continuation example with HOTA by hand', () => {
    const { hota } = motMetrics(continuation, { zeroDistance: 2 });
    // t1 alignment: A-X 0.59 / 1.59, A-Y 1 / 1.59; potential A-X 1 + 0.59/1.59, A-Y 1/1.59.
    const pX = 1 + 0.59 / 1.59;
    const pY = 1 / 1.59;
    const gX = pX / (2 + 2 - pX);
    const gY = pY / (2 + 1 - pY);
    expect(gX * 0.59).toBeGreaterThan(gY * 1); // so X is the t1 match
    // alpha <= 0.55 (11 values): TP 2, FP 1; A-X matched twice: AssA = (4 / 2) / 2 = 1.
    const low = Math.sqrt((2 / 3) * 1);
    // alpha >= 0.60 (8 values): TP 1, FN 1, FP 2; AssA = (1 / 3) / 1.
    const high = Math.sqrt((1 / 4) * (1 / 3));
    expect(hota.hota).toBeCloseTo((11 * low + 8 * high) / 19, 12);
  });

  it('gives perfect scores to perfect tracking and zero to none', () => {
    const perfect: MotFrame[] = [0, 1, 2].map((t) => ({
      truth: [o(A, t), o(B, 10 + t)],
      tracks: [o(X, t), o(Y, 10 + t)],
    }));
    const m = motMetrics(perfect, { zeroDistance: 2 });
    expect([m.clear.mota, m.clear.motp, m.identity.idf1, m.hota.hota]).toEqual([1, 1, 1, 1]);
    const none = motMetrics(
      perfect.map((f) => ({ truth: f.truth, tracks: [] })),
      { zeroDistance: 2 },
    );
    expect([none.clear.mota, none.identity.idf1, none.hota.hota]).toEqual([0, 0, 0]);
  });

  it('refuses a non-positive zero distance', () => {
    expect(() => motMetrics([], { zeroDistance: 0 })).toThrow(RangeError);
  });
});
