// Module-level aliases: looking up globals such as Math inside hot loops is very slow in
// sandboxed VM contexts (the test runner uses one), and free elsewhere.
const M = Math;

/** Brown-Conrady radial (k1, k2) and tangential (p1, p2) distortion on normalised coordinates. */
export interface Distortion {
  k1: number;
  k2: number;
  p1: number;
  p2: number;
}

export function distortNormalized(d: Distortion, x: number, y: number): [number, number] {
  const r2 = x * x + y * y;
  const radial = 1 + d.k1 * r2 + d.k2 * r2 * r2;
  return [
    x * radial + 2 * d.p1 * x * y + d.p2 * (r2 + 2 * x * x),
    y * radial + d.p1 * (r2 + 2 * y * y) + 2 * d.p2 * x * y,
  ];
}

/**
 * Inverts distortNormalized by Newton iterations on the 2x2 Jacobian; converges to 1e-12 in
 * a handful of steps for the distortions real lenses have.
 */
export function undistortNormalized(d: Distortion, xd: number, yd: number): [number, number] {
  if (d.k1 === 0 && d.k2 === 0 && d.p1 === 0 && d.p2 === 0) return [xd, yd];
  let x = xd;
  let y = yd;
  for (let iter = 0; iter < 50; iter++) {
    const [fx, fy] = distortNormalized(d, x, y);
    const ex = fx - xd;
    const ey = fy - yd;
    if (M.abs(ex) < 1e-14 && M.abs(ey) < 1e-14) break;
    const r2 = x * x + y * y;
    const radial = 1 + d.k1 * r2 + d.k2 * r2 * r2;
    const dRadial = 2 * d.k1 + 4 * d.k2 * r2; // d(radial)/d(r2) · 2
    const j00 = radial + x * dRadial * x + 2 * d.p1 * y + 6 * d.p2 * x;
    const j01 = x * dRadial * y + 2 * d.p1 * x + 2 * d.p2 * y;
    const j10 = y * dRadial * x + 2 * d.p1 * x + 2 * d.p2 * y;
    const j11 = radial + y * dRadial * y + 6 * d.p1 * y + 2 * d.p2 * x;
    const det = j00 * j11 - j01 * j10;
    if (det === 0 || !Number.isFinite(det)) break;
    x -= (j11 * ex - j01 * ey) / det;
    y -= (-j10 * ex + j00 * ey) / det;
  }
  return [x, y];
}
