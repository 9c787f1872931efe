/**
 * Free blocks ordered by (size, address): best fit is a binary search for the first block
 * at least as large as the request, ties going to the lowest address so placement is
 * deterministic.
 */
export interface Sized {
  size: number;
  address: number;
}

export class FreeIndex<T extends Sized> {
  private readonly items: T[] = [];

  get length(): number {
    return this.items.length;
  }

  /** Largest free block, 0 when none. */
  get largest(): number {
    return this.items.length ? this.items[this.items.length - 1]!.size : 0;
  }

  insert(b: T): void {
    this.items.splice(this.lowerBound(b.size, b.address), 0, b);
  }

  remove(b: T): void {
    const i = this.lowerBound(b.size, b.address);
    if (this.items[i] !== b) throw new Error('free index: block not present');
    this.items.splice(i, 1);
  }

  /** Smallest block with size >= bytes, or undefined. */
  bestFit(bytes: number): T | undefined {
    return this.items[this.lowerBound(bytes, -1)];
  }

  clear(): void {
    this.items.length = 0;
  }

  values(): readonly T[] {
    return this.items;
  }

  private lowerBound(size: number, address: number): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = this.items[mid]!;
      if (m.size < size || (m.size === size && m.address < address)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
