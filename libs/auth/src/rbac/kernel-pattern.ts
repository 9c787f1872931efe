/**
 * Kernel names are dotted (`motion.diff`, `voxel.evidence`). In a grant, `*` stands for one
 * whole segment and `**` for any number of trailing segments (at least one), so `motion.*`
 * is the motion class and `**` every kernel. Anything else in a segment is matched exactly.
 */
const SEGMENT = /^[A-Za-z0-9_-]+$/;

/** Why a grant's kernel pattern is unusable, or null when it is fine. */
export function kernelPatternError(pattern: string): string | null {
  if (pattern === '') return 'kernel pattern is empty';
  const segments = pattern.split('.');
  for (const [i, segment] of segments.entries()) {
    if (segment === '**') {
      if (i !== segments.length - 1) return `'**' may only end a kernel pattern: '${pattern}'`;
    } else if (segment !== '*' && !SEGMENT.test(segment)) {
      return `kernel pattern segment '${segment}' must be '*', '**' or letters, digits, '_' and '-': '${pattern}'`;
    }
  }
  return null;
}

/** Whether a kernel name falls under a pattern; a malformed pattern matches nothing. */
export function kernelMatches(pattern: string, kernel: string): boolean {
  if (kernelPatternError(pattern) !== null || kernelPatternError(kernel) !== null || /\*/.test(kernel)) {
    return false;
  }
  const want = pattern.split('.');
  const have = kernel.split('.');
  for (const [i, segment] of want.entries()) {
    if (segment === '**') return have.length > i;
    const name = have[i];
    if (name === undefined || (segment !== '*' && segment !== name)) return false;
  }
  return want.length === have.length;
}
