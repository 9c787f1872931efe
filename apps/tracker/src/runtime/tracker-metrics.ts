import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { StreamStatusEvent, TrackLostEvent, TrackUpdateEvent } from '../live/track-events.js';
import type { RuntimeSink, StreamRuntime } from './stream-runtime.js';

/**
 * The tracking pipeline's series: frame-sets processed and refused, latency from a frame-set
 * accepted to its tracks out (queueing behind earlier frame-sets included, which is what a
 * subscriber waits for), and the streams and tracks live in this process.
 */
export class TrackerMetrics {
  readonly processed: Counter;
  readonly rejected: Counter;
  readonly lost: Counter;
  readonly latency: Histogram;

  constructor(registry: Registry, runtimes: () => Iterable<StreamRuntime>) {
    const registers = [registry];
    this.processed = new Counter({
      name: 'tracker_frame_sets_processed_total',
      help: "Frame-sets run through the tracking pipeline (their rate is the streams' fps)",
      registers,
    });
    this.rejected = new Counter({
      name: 'tracker_frame_sets_rejected_total',
      help: 'Frame-sets refused before the pipeline: bad images, wrong cameras, out-of-order times',
      registers,
    });
    this.lost = new Counter({
      name: 'tracker_frame_sets_lost_total',
      help: 'Frame-sets accepted whose evidence never came back (its node died, its budget ran out): gaps in the stream',
      registers,
    });
    this.latency = new Histogram({
      name: 'tracker_frame_set_latency_seconds',
      help: 'Frame-set accepted to its tracks published, including the wait behind earlier frame-sets',
      buckets: [0.005, 0.01, 0.02, 0.033, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    new Gauge({
      name: 'tracker_active_streams',
      help: 'Streams with a live pipeline in this process',
      registers,
      collect() {
        let count = 0;
        for (const _ of runtimes()) count++;
        this.set(count);
      },
    });
    new Gauge({
      name: 'tracker_active_tracks',
      help: 'Confirmed or coasting tracks after the last frame-set, by stream',
      labelNames: ['stream'],
      registers,
      collect() {
        this.reset();
        for (const runtime of runtimes()) this.set({ stream: runtime.streamId }, runtime.snapshot().tracks);
      },
    });
  }

  frameSetDone(latencyMs: number): void {
    this.processed.inc();
    this.latency.observe(latencyMs / 1000);
  }
}

/** Where a runtime's results go once counted: the live hub (which also records history). */
export interface RuntimeOutlet {
  tracks(tenantId: string, event: TrackUpdateEvent): void;
  lost(tenantId: string, event: TrackLostEvent): void;
  status(event: StreamStatusEvent): void;
}

/** A runtime's sink that counts frame-sets, their latency and gaps on the way to the outlet. */
export function meteredSink(outlet: RuntimeOutlet, metrics: TrackerMetrics): RuntimeSink {
  return {
    tracks: (tenantId, event) => outlet.tracks(tenantId, event),
    lost: (tenantId, event) => outlet.lost(tenantId, event),
    frameSetDone: (latencyMs) => metrics.frameSetDone(latencyMs),
    frameSetRejected: () => metrics.rejected.inc(),
    status: (event) => {
      if (event.gap) metrics.lost.inc(event.gap.frames);
      outlet.status(event);
    },
  };
}
