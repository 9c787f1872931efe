import { fromNative } from '../errors.js';
import type { NativeAddon } from '../native.js';
import type { PoolBacking, ZeroRange } from './backing.js';

/** Slabs from cudaMalloc; zeroing as one kernel per 64 ranges on the device's zero stream. */
export class CudaBacking implements PoolBacking {
  readonly kind = 'cuda';

  constructor(
    private readonly addon: NativeAddon,
    private readonly device: number,
  ) {}

  allocSlab(bytes: number): number {
    try {
      return this.addon.mallocSlab(this.device, bytes);
    } catch (e) {
      throw fromNative(e);
    }
  }

  freeSlab(address: number): void {
    try {
      this.addon.freeSlab(this.device, address);
    } catch (e) {
      throw fromNative(e);
    }
  }

  zero(ranges: readonly ZeroRange[]): void {
    const ptrs = new Float64Array(ranges.length);
    const lens = new Float64Array(ranges.length);
    ranges.forEach((r, i) => {
      ptrs[i] = r.address;
      lens[i] = r.bytes;
    });
    try {
      this.addon.zeroRanges(this.device, ptrs, lens);
    } catch (e) {
      throw fromNative(e);
    }
  }
}
