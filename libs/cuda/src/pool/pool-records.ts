import type { Allocation } from './pool-types.js';

/**
 * The pool's own bookkeeping (see vram-pool.ts): slabs taken from the backing, the blocks
 * they are cut into (a doubly linked list per slab, in address order), and per job and per
 * tenant accounting.
 */
export interface Slab {
  address: number;
  size: number;
  dedicated: boolean;
  first: Block;
}

export interface Block {
  slab: Slab;
  address: number;
  size: number;
  state: 'free' | 'used' | 'dirty';
  prev: Block | null;
  next: Block | null;
  alloc: Allocation | null;
}

export interface Job {
  id: string;
  tenant: string;
  peakBytes: number;
  usedBytes: number;
  blocks: Map<number, Block>;
}

export interface Tenant {
  limitBytes: number;
  usedBytes: number;
  reservedUnusedBytes: number;
  allocations: number;
  softOoms: number;
  peakUsedBytes: number;
}
