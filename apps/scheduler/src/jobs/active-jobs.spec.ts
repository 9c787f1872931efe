import { describe, expect, it } from '@jest/globals';
import type { RunningJob } from '@voxelfleet/scheduling';
import { ACTIVE_RELOAD_MS, ActiveJobs } from './active-jobs.js';

const job = (jobId: string, startedAtMs = 0): RunningJob => ({
  jobId,
  tenantId: 't',
  nodeId: 'n1',
  deviceIds: [],
  vramBytesPerDevice: 0,
  priority: 'normal',
  preemptible: false,
  startedAtMs,
});

const ids = (jobs: readonly RunningJob[]) => jobs.map((j) => j.jobId).sort();

/** A table read that the test releases when it wants, to interleave changes with it. */
function gatedLoad(rows: RunningJob[]) {
  let open: () => void = () => undefined;
  let reads = 0;
  const load = async (): Promise<RunningJob[]> => {
    reads += 1;
    const snapshot = [...rows];
    await new Promise<void>((resolve) => (open = resolve));
    return snapshot;
  };
  return { load, release: () => open(), reads: () => reads };
}

describe('ActiveJobs', () => {
  it('reads the table once, then follows the changes it is told about', async () => {
    let reads = 0;
    const view = new ActiveJobs(() => {
      reads += 1;
      return Promise.resolve([job('a'), job('b')]);
    });
    expect(ids(await view.current(0))).toEqual(['a', 'b']);
    view.hold([job('c', 5)]);
    view.release(['a']);
    view.started([{ jobId: 'b', startedAtMs: 7 }]);
    const now = await view.current(1_000);
    expect(ids(now)).toEqual(['b', 'c']);
    expect(now.find((j) => j.jobId === 'b')?.startedAtMs).toBe(7);
    expect(reads).toBe(1);
  });

  it('rebuilds from the table after ACTIVE_RELOAD_MS without holding the caller, and at once after invalidate', async () => {
    let rows = [job('a')];
    let reads = 0;
    const view = new ActiveJobs(() => {
      reads += 1;
      return Promise.resolve(rows);
    });
    await view.current(0);
    rows = [job('x')];
    // The stale view answers at once; the rebuild lands for the next caller.
    expect(ids(await view.current(ACTIVE_RELOAD_MS))).toEqual(['a']);
    await new Promise((r) => setImmediate(r));
    expect(ids(await view.current(ACTIVE_RELOAD_MS + 1))).toEqual(['x']);
    rows = [job('y')];
    view.invalidate();
    expect(ids(await view.current(ACTIVE_RELOAD_MS + 2))).toEqual(['y']);
    expect(reads).toBe(3);
  });

  it('keeps the view it has when a background rebuild fails', async () => {
    let fail = false;
    const view = new ActiveJobs(() =>
      fail ? Promise.reject(new Error('down')) : Promise.resolve([job('a')]),
    );
    await view.current(0);
    fail = true;
    expect(ids(await view.current(ACTIVE_RELOAD_MS))).toEqual(['a']);
    await new Promise((r) => setImmediate(r));
    expect(ids(await view.current(ACTIVE_RELOAD_MS + 1))).toEqual(['a']);
  });

  it('keeps reservations of a pass still committing across a reload that cannot see them', async () => {
    const gate = gatedLoad([job('a')]);
    const view = new ActiveJobs(gate.load);
    view.reserve([job('p1'), job('p2')]);
    const reading = view.current(0);
    gate.release();
    expect(ids(await reading)).toEqual(['a', 'p1', 'p2']);
    // p1 committed (with the table's time), p2 did not.
    view.settle(['p1', 'p2'], [job('p1', 42)]);
    const now = await view.current(1);
    expect(ids(now)).toEqual(['a', 'p1']);
    expect(now.find((j) => j.jobId === 'p1')?.startedAtMs).toBe(42);
  });

  it('replays changes that commit while a reload reads, so the reload never undoes them', async () => {
    const gate = gatedLoad([job('a'), job('b')]);
    const view = new ActiveJobs(gate.load);
    const reading = view.current(0);
    // The read began before these committed: it still sees b and not c.
    view.release(['b']);
    view.hold([job('c')]);
    gate.release();
    expect(ids(await reading)).toEqual(['a', 'c']);
  });

  it('hands out frozen entries, so a pass cannot change what the view holds', async () => {
    const view = new ActiveJobs(() => Promise.resolve([job('a')]));
    const [entry] = await view.current(0);
    expect(Object.isFrozen(entry)).toBe(true);
    expect(Object.isFrozen(entry?.deviceIds)).toBe(true);
  });
});

describe('ActiveJobs after invalidate', () => {
  it('does not trust a rebuild that began before the invalidate', async () => {
    const first = gatedLoad([job('old')]);
    let rows = [job('old')];
    let calls = 0;
    const view = new ActiveJobs(() => {
      calls += 1;
      return calls === 1 ? Promise.resolve(rows) : calls === 2 ? first.load() : Promise.resolve(rows);
    });
    await view.current(0);
    // A background rebuild starts and reads the table as it was...
    await view.current(ACTIVE_RELOAD_MS);
    // ...then another instance leads for a while, and this one leads again.
    rows = [job('new')];
    view.invalidate();
    const reading = view.current(ACTIVE_RELOAD_MS + 1);
    first.release();
    expect(ids(await reading)).toEqual(['new']);
  });
});
