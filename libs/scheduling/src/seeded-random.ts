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
  return drawFrom(hashString(keys.join('\u0000'), hashString(String(seed))));
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
  const draw = seededDrawAfter(seed, ...prefix);
  return (...rest) => draw(rest.length === 1 ? String(rest[0]) : rest.join('\u0000'));
}

/**
 * `seededUnitsAfter` for draws that differ by one text key (a node id): a placement draws once
 * per tied node, so no key list is built and the generator's first output is computed without
 * creating the generator.
 */
export function seededDrawAfter(
  seed: number | string,
  ...prefix: readonly (string | number)[]
): (key: string) => number {
  const basis = hashString(
    prefix.length === 0 ? '' : `${prefix.join('\u0000')}\u0000`,
    hashString(String(seed)),
  );
  return (key) => drawFrom(hashString(key, basis));
}

/** The first output of mulberry32 seeded with `state`. */
function drawFrom(state: number): number {
  return unitOf((state + GOLDEN) >>> 0);
}

/** A stateful generator for code that needs several draws from one seed (tests, simulations). */
export function createRandom(seed: number | string): () => number {
  return mulberry32(hashString(String(seed)));
}

/** mulberry32's increment: each draw advances the state by it, then mixes the state. */
const GOLDEN = 0x6d2b79f5;

function mulberry32(initial: number): () => number {
  let state = initial >>> 0;
  return () => {
    state = (state + GOLDEN) >>> 0;
    return unitOf(state);
  };
}

/** mulberry32's output for an advanced state, in [0, 1). */
function unitOf(state: number): number {
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
