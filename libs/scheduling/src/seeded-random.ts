/**
 * Reproducible randomness for tie-breaks and jitter. Every draw is derived from the seed and
 * the identity of what is being decided (job id, attempt, device id), never from call order,
 * so replaying a decision in isolation gives the same result as replaying the whole trace.
 */

/** 32-bit FNV-1a over the UTF-16 code units of the text. */
export function hashString(text: string, basis = 0x811c9dc5): number {
  let hash = basis >>> 0;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** A uniform number in [0, 1) fixed by the seed and the keys. */
export function seededUnit(seed: number | string, ...keys: readonly (string | number)[]): number {
  const state = hashString(keys.join('\u0000'), hashString(String(seed)));
  return mulberry32(state)();
}

/**
 * `seededUnit(seed, ...prefix, ...rest)` for many `rest`s that share a prefix (one job against
 * every node): FNV-1a folds text left to right, so the prefix is hashed once. The draws are
 * exactly `seededUnit`'s.
 */
export function seededUnitsAfter(
  seed: number | string,
  ...prefix: readonly (string | number)[]
): (...rest: readonly (string | number)[]) => number {
  const basis = hashString(
    prefix.length === 0 ? '' : `${prefix.join('\u0000')}\u0000`,
    hashString(String(seed)),
  );
  return (...rest) => mulberry32(hashString(rest.join('\u0000'), basis))();
}

/** A stateful generator for code that needs several draws from one seed (tests, simulations). */
export function createRandom(seed: number | string): () => number {
  return mulberry32(hashString(String(seed)));
}

function mulberry32(initial: number): () => number {
  let state = initial >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
