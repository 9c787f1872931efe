/** A binary min-heap ordered by (priority, sequence): lowest priority value first, then FIFO. */
export interface HeapItem {
  priority: number;
  sequence: number;
}

export class JobHeap<T extends HeapItem> {
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    this.items.push(item);
    this.siftUp(this.items.length - 1);
  }

  pop(): T | undefined {
    const top = this.items[0];
    const last = this.items.pop();
    if (this.items.length > 0 && last !== undefined) {
      this.items[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  private before(a: T, b: T): boolean {
    return a.priority < b.priority || (a.priority === b.priority && a.sequence < b.sequence);
  }

  private siftUp(index: number): void {
    let child = index;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (!this.before(this.at(child), this.at(parent))) return;
      this.swap(child, parent);
      child = parent;
    }
  }

  private siftDown(index: number): void {
    let parent = index;
    for (;;) {
      const left = 2 * parent + 1;
      const right = left + 1;
      let best = parent;
      if (left < this.items.length && this.before(this.at(left), this.at(best))) best = left;
      if (right < this.items.length && this.before(this.at(right), this.at(best))) best = right;
      if (best === parent) return;
      this.swap(parent, best);
      parent = best;
    }
  }

  private at(index: number): T {
    return this.items[index] as T;
  }

  private swap(a: number, b: number): void {
    const tmp = this.at(a);
    this.items[a] = this.at(b);
    this.items[b] = tmp;
  }
}
