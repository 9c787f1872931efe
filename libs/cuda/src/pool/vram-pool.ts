/**
 * The VRAM pool: large slabs taken from the backing (cudaMalloc on a GPU), sub-allocated
 * best fit with coalescing of free neighbours, so an allocation or free costs microseconds
 * and no device synchronisation. Tenant quotas and job reservations are enforced here, in
 * the allocator, so no caller can bypass them.
 *
 * Reservations are held in bytes (free space kept out of other jobs' reach), not as carved
 * address ranges, so heavy fragmentation can still defeat one; stats() shows how close.
 *
 * Live blocks are never moved (callers hold raw device pointers), so "compaction" means:
 * neighbours are always coalesced, and past the fragmentation threshold slabs that became
 * entirely free are handed back to the device.
 */
import { DeviceOutOfMemoryError, InvalidArgumentError, QuotaExceededError } from '../errors.js';
import type { PoolBacking } from './backing.js';
import { FreeIndex } from './free-index.js';
import type { Allocation, LeakReport, PoolStats, TenantStats } from './pool-types.js';
import type { Block, Job, Slab, Tenant } from './pool-records.js';

export type { Allocation, LeakReport, PoolStats, TenantStats } from './pool-types.js';

export interface VramPoolOptions {
  /** Size of an ordinary slab; requests of at least this size get a slab of their own. */
  slabBytes?: number;
  /** Most bytes the pool may hold from the backing, all slabs together. */
  capacityBytes: number;
  /** Every block starts on, and is a multiple of, this many bytes. */
  alignment?: number;
  /** Zeroing is batched: it runs after this many frees or this many bytes, or on demand. */
  zeroBatch?: number;
  zeroBatchBytes?: number;
  /** Quota of a tenant with none set. */
  defaultTenantQuotaBytes?: number;
  /** Past this fragmentation (1 - largest free / free), empty slabs are released. */
  trimThreshold?: number;
}

const unreserved = (j: Job, used: number): number => Math.max(0, j.peakBytes - used);

export class VramPool {
  private readonly slabBytes: number;
  private readonly capacity: number;
  private readonly align: number;
  private readonly zeroBatch: number;
  private readonly zeroBatchBytes: number;
  private readonly defaultQuota: number;
  private readonly trimThreshold: number;
  private readonly slabs = new Set<Slab>();
  private readonly free = new FreeIndex<Block>();
  private readonly dirty: Block[] = [];
  private readonly jobs = new Map<string, Job>();
  private readonly tenants = new Map<string, Tenant>();
  private readonly live = new Map<number, Block>();
  private heldBytes = 0;
  private freeBytes = 0;
  private dirtyBytes = 0;
  private reservedUnused = 0;
  private nextId = 1;
  private hardOoms = 0;

  constructor(
    private readonly backing: PoolBacking,
    options: VramPoolOptions,
  ) {
    this.align = options.alignment ?? 256;
    this.slabBytes = this.round(options.slabBytes ?? 256 * 2 ** 20);
    this.capacity = options.capacityBytes;
    this.zeroBatch = options.zeroBatch ?? 64;
    this.zeroBatchBytes = options.zeroBatchBytes ?? 64 * 2 ** 20;
    this.defaultQuota = options.defaultTenantQuotaBytes ?? Number.POSITIVE_INFINITY;
    this.trimThreshold = options.trimThreshold ?? 0.5;
  }

  setTenantQuota(tenant: string, limitBytes: number): void {
    this.tenant(tenant).limitBytes = limitBytes;
  }

  /**
   * Opens a job. `peakBytes` is a reservation hint: the pool holds that much for the job
   * (counted against its tenant's quota and kept out of other jobs' reach) until it closes.
   */
  openJob(jobId: string, tenant: string, opts: { peakBytes?: number } = {}): void {
    if (this.jobs.has(jobId)) throw new InvalidArgumentError(`job ${jobId} is already open`);
    const peak = this.round(opts.peakBytes ?? 0);
    const t = this.tenant(tenant);
    if (t.usedBytes + t.reservedUnusedBytes + peak > t.limitBytes) {
      t.softOoms++;
      throw new QuotaExceededError(tenant, peak, t.usedBytes + t.reservedUnusedBytes, t.limitBytes);
    }
    this.ensureRoom(peak + this.reservedUnused, 0);
    this.jobs.set(jobId, { id: jobId, tenant, peakBytes: peak, usedBytes: 0, blocks: new Map() });
    t.reservedUnusedBytes += peak;
    this.reservedUnused += peak;
  }

  alloc(jobId: string, bytes: number, label?: string): Allocation {
    const job = this.jobs.get(jobId);
    if (!job) throw new InvalidArgumentError(`job ${jobId} is not open`);
    if (!Number.isFinite(bytes) || bytes < 0) throw new InvalidArgumentError(`bad size ${bytes}`);
    const size = this.round(Math.max(bytes, 1));
    const t = this.tenant(job.tenant);
    const delta = unreserved(job, job.usedBytes + size) - unreserved(job, job.usedBytes);
    if (t.usedBytes + size + t.reservedUnusedBytes + delta > t.limitBytes) {
      t.softOoms++;
      throw new QuotaExceededError(job.tenant, size, t.usedBytes + t.reservedUnusedBytes, t.limitBytes);
    }
    const block = this.place(size, this.reservedUnused + delta);
    const alloc: Allocation = {
      id: this.nextId++,
      address: block.address,
      bytes,
      size,
      tenant: job.tenant,
      jobId,
      label,
    };
    block.alloc = alloc;
    this.live.set(alloc.id, block);
    job.blocks.set(alloc.id, block);
    job.usedBytes += size;
    t.usedBytes += size;
    t.allocations++;
    t.peakUsedBytes = Math.max(t.peakUsedBytes, t.usedBytes);
    t.reservedUnusedBytes += delta;
    this.reservedUnused += delta;
    return alloc;
  }

  /** Frees a block; its bytes are zeroed before any other allocation can see them. */
  release(a: Allocation | number): void {
    const id = typeof a === 'number' ? a : a.id;
    const block = this.live.get(id);
    if (!block?.alloc) throw new InvalidArgumentError(`allocation ${id} is not live (double free?)`);
    const { jobId, size, tenant } = block.alloc;
    const job = this.jobs.get(jobId)!;
    const t = this.tenant(tenant);
    const delta = unreserved(job, job.usedBytes - size) - unreserved(job, job.usedBytes);
    job.usedBytes -= size;
    job.blocks.delete(id);
    t.usedBytes -= size;
    t.reservedUnusedBytes += delta;
    this.reservedUnused += delta;
    this.live.delete(id);
    block.alloc = null;
    if (block.slab.dedicated) {
      this.backing.zero([{ address: block.address, bytes: block.size }]);
      this.dropSlab(block.slab);
      return;
    }
    block.state = 'dirty';
    this.dirty.push(block);
    this.dirtyBytes += size;
    if (this.dirty.length >= this.zeroBatch || this.dirtyBytes >= this.zeroBatchBytes) this.flush();
  }

  /** Closes a job: frees what it still holds and reports those buffers as leaks. */
  closeJob(jobId: string): LeakReport {
    const job = this.jobs.get(jobId);
    if (!job) throw new InvalidArgumentError(`job ${jobId} is not open`);
    const leaked = [...job.blocks.values()].map((b) => {
      const a = b.alloc!;
      return { id: a.id, bytes: a.bytes, label: a.label };
    });
    for (const l of leaked) this.release(l.id);
    const t = this.tenant(job.tenant);
    const rest = unreserved(job, 0);
    t.reservedUnusedBytes -= rest;
    this.reservedUnused -= rest;
    this.jobs.delete(jobId);
    return { jobId, tenant: job.tenant, leaked, leakedBytes: leaked.reduce((s, l) => s + l.bytes, 0) };
  }

  /** Zeroes every freed block now and returns them to the free lists. */
  flush(): void {
    if (!this.dirty.length) return;
    const blocks = this.dirty.splice(0);
    this.backing.zero(blocks.map((b) => ({ address: b.address, bytes: b.size })));
    this.dirtyBytes = 0;
    for (const b of blocks) this.addFree(b);
    if (this.fragmentation() > this.trimThreshold) this.trim();
  }

  /** Hands entirely free slabs back, keeping what open reservations need. */
  trim(): number {
    let released = 0;
    for (const s of [...this.slabs]) {
      const b = s.first;
      if (b.state !== 'free' || b.next) continue;
      if (this.freeBytes - s.size < this.reservedUnused) continue;
      this.free.remove(b);
      this.freeBytes -= b.size;
      this.dropSlab(s);
      released++;
    }
    return released;
  }

  /** 1 - largest free block / free bytes: 0 when all free space is one block. */
  fragmentation(): number {
    return this.freeBytes > 0 ? 1 - this.free.largest / this.freeBytes : 0;
  }

  stats(): PoolStats {
    const tenants: Record<string, TenantStats> = {};
    for (const [name, t] of this.tenants) {
      tenants[name] = {
        usedBytes: t.usedBytes,
        reservedBytes: t.reservedUnusedBytes,
        limitBytes: t.limitBytes,
        allocations: t.allocations,
        softOoms: t.softOoms,
        peakUsedBytes: t.peakUsedBytes,
      };
    }
    return {
      backing: this.backing.kind,
      capacityBytes: this.capacity,
      heldBytes: this.heldBytes,
      slabs: this.slabs.size,
      usedBytes: [...this.tenants.values()].reduce((s, t) => s + t.usedBytes, 0),
      freeBytes: this.freeBytes,
      pendingZeroBytes: this.dirtyBytes,
      largestFreeBytes: this.free.largest,
      fragmentation: this.fragmentation(),
      reservedBytes: this.reservedUnused,
      liveAllocations: this.live.size,
      openJobs: this.jobs.size,
      hardOoms: this.hardOoms,
      tenants,
    };
  }

  /** Releases every slab; live allocations become invalid. */
  dispose(): void {
    for (const s of [...this.slabs]) this.dropSlab(s);
    this.free.clear();
    this.live.clear();
    this.jobs.clear();
    this.dirty.length = 0;
    this.freeBytes = this.dirtyBytes = 0;
  }

  private round(n: number): number {
    return Math.ceil(n / this.align) * this.align;
  }

  private tenant(name: string): Tenant {
    let t = this.tenants.get(name);
    if (!t) {
      t = {
        limitBytes: this.defaultQuota,
        usedBytes: 0,
        reservedUnusedBytes: 0,
        allocations: 0,
        softOoms: 0,
        peakUsedBytes: 0,
      };
      this.tenants.set(name, t);
    }
    return t;
  }

  /** Finds (or makes room for) a block of `size`, leaving `mustStayFree` for reservations. */
  private place(size: number, mustStayFree: number): Block {
    if (size >= this.slabBytes) {
      this.ensureRoom(mustStayFree, size);
      if (this.heldBytes + size > this.capacity) this.outOfRoom(size);
      const slab = this.addSlab(size, true);
      return this.take(slab.first, size);
    }
    this.ensureRoom(mustStayFree + size, 0);
    let b = this.free.bestFit(size);
    if (!b && this.dirty.length) {
      this.flush();
      b = this.free.bestFit(size);
    }
    if (!b) {
      if (this.heldBytes + this.slabBytes > this.capacity) this.outOfRoom(size);
      b = this.addSlab(this.slabBytes, false).first;
    }
    return this.take(b, size);
  }

  /** Grows until free + pending bytes cover `bytes` (plus `extra` beyond the slabs), or fails. */
  private ensureRoom(bytes: number, extra: number): void {
    while (this.freeBytes + this.dirtyBytes < bytes) {
      if (this.heldBytes + extra + this.slabBytes > this.capacity) this.outOfRoom(bytes);
      this.addSlab(this.slabBytes, false);
    }
  }

  private outOfRoom(bytes: number): never {
    this.hardOoms++;
    throw new DeviceOutOfMemoryError(
      `pool: ${bytes} B needed, ${this.freeBytes} B free (${this.reservedUnused} B held for reservations), ` +
        `${this.heldBytes} of ${this.capacity} B taken from the device`,
    );
  }

  private addSlab(size: number, dedicated: boolean): Slab {
    let address: number;
    try {
      address = this.backing.allocSlab(size);
    } catch (e) {
      this.hardOoms++;
      throw e;
    }
    // Fresh device memory holds whatever was there before; every allocation starts zeroed.
    this.backing.zero([{ address, bytes: size }]);
    const slab = { address, size, dedicated } as Slab;
    slab.first = { slab, address, size, state: 'free', prev: null, next: null, alloc: null };
    this.slabs.add(slab);
    this.heldBytes += size;
    if (!dedicated) {
      this.free.insert(slab.first);
      this.freeBytes += size;
    }
    return slab;
  }

  private dropSlab(s: Slab): void {
    this.backing.freeSlab(s.address);
    this.slabs.delete(s);
    this.heldBytes -= s.size;
  }

  /** Marks `b` used for `size` bytes, splitting the remainder off as a free block. */
  private take(b: Block, size: number, indexed = !b.slab.dedicated): Block {
    if (indexed) {
      this.free.remove(b);
      this.freeBytes -= b.size;
    }
    if (b.size > size) {
      const rest: Block = {
        slab: b.slab,
        address: b.address + size,
        size: b.size - size,
        state: 'free',
        prev: b,
        next: b.next,
        alloc: null,
      };
      if (b.next) b.next.prev = rest;
      b.next = rest;
      b.size = size;
      this.free.insert(rest);
      this.freeBytes += rest.size;
    }
    b.state = 'used';
    return b;
  }

  /** Returns a zeroed block to the free index, merged with free neighbours. */
  private addFree(b: Block): void {
    b.state = 'free';
    const p = b.prev;
    if (p?.state === 'free') {
      this.free.remove(p);
      this.freeBytes -= p.size;
      p.size += b.size;
      p.next = b.next;
      if (b.next) b.next.prev = p;
      b = p;
    }
    const n = b.next;
    if (n?.state === 'free') {
      this.free.remove(n);
      this.freeBytes -= n.size;
      b.size += n.size;
      b.next = n.next;
      if (n.next) n.next.prev = b;
    }
    this.free.insert(b);
    this.freeBytes += b.size;
  }
}
