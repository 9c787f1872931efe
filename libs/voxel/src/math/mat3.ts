// Module-level aliases: looking up globals such as Math inside hot loops is very slow in
// sandboxed VM contexts (the test runner uses one), and free elsewhere.
const M = Math;

/** 3x3 matrices as row-major tuples; small and allocation-light, used off the hot paths. */
export type Vec3 = [number, number, number];
export type Mat3 = [number, number, number, number, number, number, number, number, number];

export const DEG = M.PI / 180;

export function mat3Mul(a: Mat3, b: Mat3): Mat3 {
  const out = new Array<number>(9).fill(0) as Mat3;
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) {
      out[r * 3 + c] = a[r * 3]! * b[c]! + a[r * 3 + 1]! * b[3 + c]! + a[r * 3 + 2]! * b[6 + c]!;
    }
  }
  return out;
}

export function mat3Transpose(m: Mat3): Mat3 {
  return [m[0], m[3], m[6], m[1], m[4], m[7], m[2], m[5], m[8]];
}

export function mat3MulVec(m: Mat3, v: Vec3): Vec3 {
  return [
    m[0] * v[0] + m[1] * v[1] + m[2] * v[2],
    m[3] * v[0] + m[4] * v[1] + m[5] * v[2],
    m[6] * v[0] + m[7] * v[1] + m[8] * v[2],
  ];
}

export function rotationX(radians: number): Mat3 {
  const c = M.cos(radians);
  const s = M.sin(radians);
  return [1, 0, 0, 0, c, -s, 0, s, c];
}

export function rotationY(radians: number): Mat3 {
  const c = M.cos(radians);
  const s = M.sin(radians);
  return [c, 0, s, 0, 1, 0, -s, 0, c];
}

export function rotationZ(radians: number): Mat3 {
  const c = M.cos(radians);
  const s = M.sin(radians);
  return [c, -s, 0, s, c, 0, 0, 0, 1];
}

export function sub3(a: Vec3, b: Vec3): Vec3 {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
}

export function dot3(a: Vec3, b: Vec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

export function cross3(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

export function norm3(a: Vec3): number {
  return M.sqrt(dot3(a, a));
}

export function normalize3(a: Vec3): Vec3 {
  const n = norm3(a);
  if (n === 0) throw new RangeError('cannot normalise a zero vector');
  return [a[0] / n, a[1] / n, a[2] / n];
}

/** Unit quaternion [w, x, y, z] to a rotation matrix. */
export function quaternionToMatrix(q: [number, number, number, number]): Mat3 {
  const n = M.hypot(q[0], q[1], q[2], q[3]);
  if (M.abs(n - 1) > 1e-6) throw new RangeError(`quaternion is not unit length (|q| = ${n})`);
  const [w, x, y, z] = [q[0] / n, q[1] / n, q[2] / n, q[3] / n];
  return [
    1 - 2 * (y * y + z * z),
    2 * (x * y - w * z),
    2 * (x * z + w * y),
    2 * (x * y + w * z),
    1 - 2 * (x * x + z * z),
    2 * (y * z - w * x),
    2 * (x * z - w * y),
    2 * (y * z + w * x),
    1 - 2 * (x * x + y * y),
  ];
}

/** Rotation matrix to a unit quaternion [w, x, y, z] with w >= 0 (Shepperd's method, stable near 180°). */
export function matrixToQuaternion(m: Mat3): [number, number, number, number] {
  const trace = m[0] + m[4] + m[8];
  let q: [number, number, number, number];
  if (trace > 0) {
    const s = M.sqrt(trace + 1) * 2;
    q = [s / 4, (m[7] - m[5]) / s, (m[2] - m[6]) / s, (m[3] - m[1]) / s];
  } else if (m[0] > m[4] && m[0] > m[8]) {
    const s = M.sqrt(1 + m[0] - m[4] - m[8]) * 2;
    q = [(m[7] - m[5]) / s, s / 4, (m[1] + m[3]) / s, (m[2] + m[6]) / s];
  } else if (m[4] > m[8]) {
    const s = M.sqrt(1 + m[4] - m[0] - m[8]) * 2;
    q = [(m[2] - m[6]) / s, (m[1] + m[3]) / s, s / 4, (m[5] + m[7]) / s];
  } else {
    const s = M.sqrt(1 + m[8] - m[0] - m[4]) * 2;
    q = [(m[3] - m[1]) / s, (m[2] + m[6]) / s, (m[5] + m[7]) / s, s / 4];
  }
  if (q[0] < 0) q = [-q[0], -q[1], -q[2], -q[3]];
  const n = M.hypot(...q);
  return [q[0] / n, q[1] / n, q[2] / n, q[3] / n];
}

/** Checks orthonormality and det = +1 within a tolerance; throws otherwise. */
export function assertRotation(m: Mat3, tolerance = 1e-6): void {
  const p = mat3Mul(m, mat3Transpose(m));
  const identity: Mat3 = [1, 0, 0, 0, 1, 0, 0, 0, 1];
  for (let i = 0; i < 9; i++) {
    if (M.abs(p[i]! - identity[i]!) > tolerance) throw new RangeError('matrix is not orthonormal');
  }
  const det =
    m[0] * (m[4] * m[8] - m[5] * m[7]) -
    m[1] * (m[3] * m[8] - m[5] * m[6]) +
    m[2] * (m[3] * m[7] - m[4] * m[6]);
  if (M.abs(det - 1) > tolerance) throw new RangeError('matrix is a reflection, not a rotation');
}
