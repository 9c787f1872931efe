// Module-level aliases: looking up globals such as Math inside hot loops is very slow in
// sandboxed VM contexts (the test runner uses one), and free elsewhere.
const M = Math;
const INF = 1 / 0;

/**
 * Minimum-cost assignment (Hungarian method with potentials, O(n²·m)) on a rows × cols cost
 * matrix, row-major. Costs >= `forbidden` are never assigned. Returns, per row, the assigned
 * column or -1.
 */
export function solveAssignment(cost: Float64Array, rows: number, cols: number, forbidden = INF): Int32Array {
  const result = new Int32Array(rows).fill(-1);
  if (rows === 0 || cols === 0) return result;
  const transpose = rows > cols;
  const n = transpose ? cols : rows;
  const m = transpose ? rows : cols;
  // Forbidden pairs get a cost large enough never to beat a real assignment, then are dropped.
  let maxReal = 0;
  for (let i = 0; i < cost.length; i++) if (cost[i]! < forbidden) maxReal = M.max(maxReal, M.abs(cost[i]!));
  const big = (maxReal + 1) * (n + 1) * 2;
  const at = (i: number, j: number): number => {
    const c = transpose ? cost[j * cols + i]! : cost[i * cols + j]!;
    return c >= forbidden ? big : c;
  };
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1); // p[j]: row (1-based) matched to column j
  const way = new Int32Array(m + 1);
  const minv = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(INF);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0]!;
      let delta = INF;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = at(i0 - 1, j - 1) - u[i0]! - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]!]! += delta;
          v[j]! -= delta;
        } else minv[j]! -= delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  for (let j = 1; j <= m; j++) {
    const i = p[j]!;
    if (i === 0) continue;
    const row = transpose ? j - 1 : i - 1;
    const col = transpose ? i - 1 : j - 1;
    if (cost[row * cols + col]! < forbidden) result[row] = col;
  }
  return result;
}
