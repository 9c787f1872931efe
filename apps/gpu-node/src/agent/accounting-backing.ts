import type { PoolBacking } from '@voxelfleet/cuda';

/**
 * A pool backing that hands out address ranges without memory behind them. The CPU path
 * uses it to keep the pool's per-tenant accounting (shares, reservations, capacity) for
 * host memory, while the kernels' buffers themselves live in the JavaScript heap: there is
 * nothing to zero, and the garbage collector, not the pool, frees them.
 */
export class AccountingBacking implements PoolBacking {
  readonly kind = 'host';
  private next = 0x1000;

  allocSlab(bytes: number): number {
    const at = this.next;
    this.next += bytes;
    return at;
  }

  freeSlab(): void {}

  zero(): void {}
}
