/**
 * Where the pool's slabs come from. The allocator logic (vram-pool.ts) is the same for
 * device memory and for the host-memory backing that CI tests it on.
 */
import { DeviceOutOfMemoryError } from '../errors.js';

export interface ZeroRange {
  address: number;
  bytes: number;
}

export interface PoolBacking {
  readonly kind: 'host' | 'cuda';
  /** Takes a slab; throws DeviceOutOfMemoryError when the device has no room. */
  allocSlab(bytes: number): number;
  freeSlab(address: number): void;
  /**
   * Zeroes ranges of freed blocks. Must be ordered before any later use of those ranges
   * (the CUDA backing enqueues it on a stream that every later launch and copy waits on).
   */
  zero(ranges: readonly ZeroRange[]): void;
}

/** Host memory with synthetic addresses, so tests can inspect what the pool did. */
export class HostBacking implements PoolBacking {
  readonly kind = 'host';
  private readonly slabs = new Map<number, Uint8Array>();
  private next = 0x10000;
  zeroCalls = 0;

  constructor(private readonly limitBytes = Number.POSITIVE_INFINITY) {}

  allocSlab(bytes: number): number {
    let held = 0;
    for (const s of this.slabs.values()) held += s.byteLength;
    if (held + bytes > this.limitBytes) {
      throw new DeviceOutOfMemoryError(`host backing: ${bytes} B more would exceed ${this.limitBytes} B`);
    }
    const address = this.next;
    // A gap between slabs makes an off-by-one across slab borders visible in tests.
    this.next += bytes + 0x10000;
    this.slabs.set(address, new Uint8Array(bytes));
    return address;
  }

  freeSlab(address: number): void {
    if (!this.slabs.delete(address)) throw new Error(`host backing: no slab at ${address}`);
  }

  zero(ranges: readonly ZeroRange[]): void {
    this.zeroCalls++;
    for (const r of ranges) this.view(r.address, r.bytes).fill(0);
  }

  /** The bytes at an address range, which must lie inside one slab. */
  view(address: number, bytes: number): Uint8Array {
    for (const [base, mem] of this.slabs) {
      if (address >= base && address + bytes <= base + mem.byteLength) {
        return mem.subarray(address - base, address - base + bytes);
      }
    }
    throw new RangeError(`host backing: ${address}+${bytes} is outside every slab`);
  }

  get slabCount(): number {
    return this.slabs.size;
  }
}
