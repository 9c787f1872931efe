import { describe, expect, it } from '@jest/globals';
import { createSyntheticScene } from '@voxelfleet/voxel';
import { Registry } from 'prom-client';
import type { StreamStatusEvent } from '../live/track-events.js';
import { EvidenceLostError, type EvidenceBackend } from './evidence-backend.js';
import { StreamRuntime } from './stream-runtime.js';
import { meteredSink, TrackerMetrics, type RuntimeOutlet } from './tracker-metrics.js';

const scene = createSyntheticScene({
  seed: 3,
  targets: 1,
  frames: 12,
  gridDims: [32, 32, 24],
  voxelSize: 0.2,
  rig: {
    count: 3,
    layout: { kind: 'ring', radius: 10, heights: [2, 5, 3.5] },
    resolutions: [[96, 72]],
    fovDegrees: 55,
    aimJitter: 0.3,
  },
});

const framesAt = (f: number) => scene.cameras.map((_, k) => scene.renderFrame(f, k));

const outlet = (statuses: StreamStatusEvent[] = []): RuntimeOutlet => ({
  tracks: () => undefined,
  lost: () => undefined,
  status: (event) => statuses.push(event),
});

async function value(registry: Registry, name: string, suffix = ''): Promise<number> {
  const metric = await registry.getSingleMetric(name)!.get();
  return metric.values
    .filter((v) => {
      // Histogram values carry the sample name (_bucket, _sum, _count); gauges and counters do not.
      const sample = (v as { metricName?: string }).metricName;
      return sample === undefined || sample === name + suffix;
    })
    .reduce((sum, v) => sum + v.value, 0);
}

describe('TrackerMetrics', () => {
  it('counts processed and refused frame-sets, observes their latency and reports live streams and tracks', async () => {
    const registry = new Registry();
    const runtimes: StreamRuntime[] = [];
    const metrics = new TrackerMetrics(registry, () => runtimes);
    expect(await value(registry, 'tracker_active_streams')).toBe(0);
    let now = 1_000;
    const runtime = new StreamRuntime(
      'stream-1',
      'tenant-1',
      scene.cameras,
      scene.grid,
      { motionThreshold: 4, windowFrames: 1, minCameras: 3, confirmHits: 2, confirmWindow: 3, fps: 20 },
      meteredSink(outlet(), metrics),
      () => (now += 10),
    );
    runtimes.push(runtime);
    for (let f = 0; f < scene.totalFrames; f++) {
      await runtime.submit({ kind: 'frames', t: scene.timeOf(f), frames: framesAt(f) });
    }
    runtime.noteRejected();

    expect(await value(registry, 'tracker_frame_sets_processed_total')).toBe(scene.totalFrames);
    expect(await value(registry, 'tracker_frame_sets_rejected_total')).toBe(1);
    expect(await value(registry, 'tracker_frame_set_latency_seconds', '_count')).toBe(scene.totalFrames);
    // Two clock reads per frame-set (accepted, tracks out), 10 ms apart: 10 ms each.
    expect(await value(registry, 'tracker_frame_set_latency_seconds', '_sum')).toBeCloseTo(
      0.01 * scene.totalFrames,
    );
    expect(await value(registry, 'tracker_active_streams')).toBe(1);
    expect(await value(registry, 'tracker_active_tracks')).toBe(runtime.snapshot().tracks);
    expect(runtime.snapshot().tracks).toBeGreaterThan(0);
  });

  it('counts frame-sets whose evidence never came back, and still tells subscribers of the gap', async () => {
    const registry = new Registry();
    const metrics = new TrackerMetrics(registry, () => []);
    const statuses: StreamStatusEvent[] = [];
    const lostEvidence: EvidenceBackend = {
      kind: 'fleet',
      start: () => Promise.reject(new EvidenceLostError('node lost')),
    };
    const runtime = new StreamRuntime(
      'stream-2',
      'tenant-1',
      scene.cameras,
      scene.grid,
      { motionThreshold: 4, windowFrames: 1, minCameras: 3, confirmHits: 2, confirmWindow: 3, fps: 20 },
      meteredSink(outlet(statuses), metrics),
      Date.now,
      lostEvidence,
    );
    for (let f = 0; f < 3; f++)
      await runtime.submit({ kind: 'frames', t: scene.timeOf(f), frames: framesAt(f) });
    expect(await value(registry, 'tracker_frame_sets_lost_total')).toBe(3);
    expect(statuses.filter((s) => s.gap !== undefined)).toHaveLength(3);
  });
});
