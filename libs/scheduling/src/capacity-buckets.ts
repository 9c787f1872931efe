/**
 * Node positions in numbered buckets, with O(1) insert, move and removal (a removed member's
 * place is taken by the bucket's last member) and random access within a bucket, so a job's
 * candidates can be drawn from the buckets that fit it without looking at the others.
 * A bucket of -1 means "in no bucket".
 */
export class CapacityBuckets {
  private readonly members: number[][] = [];
  private readonly bucketOf: Int32Array;
  private readonly slotOf: Int32Array;
  private total = 0;

  constructor(capacity: number) {
    this.bucketOf = new Int32Array(capacity).fill(-2);
    this.slotOf = new Int32Array(capacity);
  }

  /** Whether `position` was ever put here (a full node stays tracked, in bucket -1). */
  has(position: number): boolean {
    return (this.bucketOf[position] ?? -2) !== -2;
  }

  /** Highest bucket number in use plus one. */
  get span(): number {
    return this.members.length;
  }

  /** Members in buckets at or above `from`. */
  countFrom(from: number): number {
    let count = 0;
    for (let b = Math.max(0, from); b < this.members.length; b += 1) count += this.members[b]?.length ?? 0;
    return count;
  }

  get size(): number {
    return this.total;
  }

  bucket(b: number): readonly number[] {
    return this.members[b] ?? EMPTY;
  }

  put(position: number, bucket: number): void {
    const current = this.bucketOf[position] as number;
    if (current === bucket) return;
    if (current >= 0) this.remove(position, current);
    this.bucketOf[position] = bucket;
    if (bucket < 0) return;
    while (this.members.length <= bucket) this.members.push([]);
    const list = this.members[bucket] as number[];
    this.slotOf[position] = list.length;
    list.push(position);
    this.total += 1;
  }

  private remove(position: number, bucket: number): void {
    const list = this.members[bucket] as number[];
    const slot = this.slotOf[position] as number;
    const last = list.pop() as number;
    if (last !== position) {
      list[slot] = last;
      this.slotOf[last] = slot;
    }
    this.total -= 1;
  }
}

const EMPTY: readonly number[] = [];
