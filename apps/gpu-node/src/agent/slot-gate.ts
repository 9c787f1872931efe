/**
 * A counting gate whose size can change while jobs hold and wait for slots: the adaptive
 * concurrency limit. Lowering the limit never interrupts running jobs; it only delays starts.
 */
export class SlotGate {
  private running = 0;
  private peak = 0;
  private readonly waiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];

  constructor(private size: number) {}

  get limit(): number {
    return this.size;
  }

  get inUse(): number {
    return this.running;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  /** Most slots held at once since the last call. */
  takePeak(): number {
    const p = this.peak;
    this.peak = this.running;
    return p;
  }

  setLimit(n: number): void {
    this.size = Math.max(1, Math.floor(n));
    this.wake();
  }

  acquire(): Promise<void> {
    if (this.running < this.size && !this.waiters.length) {
      this.take();
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  release(): void {
    this.running = Math.max(0, this.running - 1);
    this.wake();
  }

  /** Refuses everything still waiting (draining); holders keep their slots. */
  rejectWaiting(error: Error): void {
    for (const w of this.waiters.splice(0)) w.reject(error);
  }

  private take(): void {
    this.running++;
    this.peak = Math.max(this.peak, this.running);
  }

  private wake(): void {
    while (this.running < this.size && this.waiters.length) {
      this.take();
      this.waiters.shift()!.resolve();
    }
  }
}
