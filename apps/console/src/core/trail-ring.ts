/**
 * The last `capacity` positions of one track in a preallocated Float32Array. Pushing never
 * allocates, so a view updating 50 tracks 30 times a second creates no garbage.
 */
export class TrailRing {
  private readonly xyz: Float32Array;
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError('capacity must be a positive integer');
    this.xyz = new Float32Array(capacity * 3);
  }

  get length(): number {
    return this.count;
  }

  push(x: number, y: number, z: number): void {
    const at = this.head * 3;
    this.xyz[at] = x;
    this.xyz[at + 1] = y;
    this.xyz[at + 2] = z;
    this.head = (this.head + 1) % this.capacity;
    if (this.count < this.capacity) this.count += 1;
  }

  clear(): void {
    this.head = 0;
    this.count = 0;
  }

  /** The i-th point, 0 the oldest kept; into `out` (no allocation). */
  pointAt(i: number, out: [number, number, number]): [number, number, number] {
    if (i < 0 || i >= this.count) throw new RangeError(`trail point ${i} of ${this.count}`);
    const at = ((this.head - this.count + i + this.capacity) % this.capacity) * 3;
    out[0] = this.xyz[at]!;
    out[1] = this.xyz[at + 1]!;
    out[2] = this.xyz[at + 2]!;
    return out;
  }

  /**
   * Writes the trail as line segments (oldest to newest: p0-p1, p1-p2, ...) into `target`
   * from float index `offset`; returns how many segments were written (length - 1, or 0).
   */
  writeSegments(target: Float32Array, offset: number): number {
    const segments = Math.max(0, this.count - 1);
    let w = offset;
    for (let i = 0; i < segments; i++) {
      const a = ((this.head - this.count + i + this.capacity) % this.capacity) * 3;
      const b = ((this.head - this.count + i + 1 + this.capacity) % this.capacity) * 3;
      target[w++] = this.xyz[a]!;
      target[w++] = this.xyz[a + 1]!;
      target[w++] = this.xyz[a + 2]!;
      target[w++] = this.xyz[b]!;
      target[w++] = this.xyz[b + 1]!;
      target[w++] = this.xyz[b + 2]!;
    }
    return segments;
  }
}
