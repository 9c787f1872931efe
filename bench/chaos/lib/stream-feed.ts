import { createSyntheticScene, sceneRig } from '@voxelfleet/voxel';
import { io, type Socket } from 'socket.io-client';
import { call } from './http-client.js';

export interface TrackUpdateSeen {
  frameSeq: number;
  t: number;
  atMs: number;
}

/** A small rig (three 64×48 cameras) and a stream on it, created through the tracker's API. */
export async function createStream(
  trackerUrl: string,
  key: string,
  name: string,
): Promise<{ rigId: string; streamId: string }> {
  const scene = createSyntheticScene({
    seed: 7,
    targets: 1,
    frames: 4,
    rig: {
      count: 3,
      layout: { kind: 'ring', radius: 10, heights: [2, 5, 3.5] },
      resolutions: [[64, 48]],
      fovDegrees: 55,
      aimJitter: 0.3,
    },
  });
  const rig = await call('POST', `${trackerUrl}/v1/rigs`, {
    key,
    body: { name: `${name}-rig`, cameras: sceneRig(scene) },
  });
  if (rig.status !== 201) throw new Error(`rig not created: ${rig.status} ${rig.text}`);
  const rigId = (rig.body as { id: string }).id;
  const stream = await call('POST', `${trackerUrl}/v1/streams`, {
    key,
    body: {
      name,
      rigId,
      grid: { origin: scene.grid.origin, dims: scene.grid.dims, voxelSize: scene.grid.voxelSize },
    },
  });
  if (stream.status !== 201) throw new Error(`stream not created: ${stream.status} ${stream.text}`);
  const streamId = (stream.body as { id: string }).id;
  const started = await call('POST', `${trackerUrl}/v1/streams/${streamId}/start`, { key });
  if (started.status !== 200) throw new Error(`stream not started: ${started.status} ${started.text}`);
  return { rigId, streamId };
}

/**
 * Replays motion frame-sets into a running stream at a fixed rate, the way an edge box
 * forwards pre-extracted motion pixels, and counts what the tracker refused or never answered.
 */
export class FrameFeed {
  readonly latenciesMs: number[] = [];
  readonly failures: { atMs: number; status: number; detail: string }[] = [];
  processed = 0;
  private timer?: NodeJS.Timeout;
  private frame = 0;
  private busy = false;
  private readonly t0 = Date.now();

  constructor(
    private readonly trackerUrl: string,
    private readonly key: string,
    readonly streamId: string,
    private readonly fps: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), 1000 / this.fps);
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.frame += 1;
    // Stream time follows the wall clock, so frames after an outage still move forward.
    const t = (Date.now() - this.t0) / 1000;
    const base = (this.frame * 7) % 2500;
    const body = {
      t,
      cameras: [
        { indices: [base, base + 1, base + 64] },
        { indices: [base + 2] },
        { indices: [base + 3, base + 4] },
      ],
    };
    const url = `${this.trackerUrl}/v1/streams/${this.streamId}/frames`;
    const result = await call('POST', url, { key: this.key, body, timeoutMs: 5_000 });
    if (result.status === 200) {
      this.processed += 1;
      this.latenciesMs.push(result.ms);
    } else {
      this.failures.push({
        atMs: Date.now(),
        status: result.status,
        detail: result.error ?? result.text.slice(0, 200),
      });
    }
    this.busy = false;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/**
 * A socket.io subscriber of one stream that reconnects and subscribes again on its own, as a
 * viewer would; it keeps the arrival time of every update and every status the tracker sent.
 */
export class StreamSubscriber {
  readonly updates: TrackUpdateSeen[] = [];
  readonly statuses: { state: string; gap?: unknown; atMs: number }[] = [];
  readonly errors: unknown[] = [];
  disconnects = 0;
  private readonly socket: Socket;

  constructor(
    trackerUrl: string,
    key: string,
    readonly streamId: string,
  ) {
    this.socket = io(`${trackerUrl}/tracks`, {
      transports: ['websocket'],
      auth: { token: key },
      reconnection: true,
      reconnectionDelay: 200,
      reconnectionDelayMax: 1_000,
    });
    this.socket.on('connect', () => {
      this.socket.emit('subscribe', { streamId });
    });
    this.socket.on('disconnect', () => {
      this.disconnects += 1;
    });
    this.socket.on('track.update', (update: { frameSeq: number; t: number }) => {
      this.updates.push({ frameSeq: update.frameSeq, t: update.t, atMs: Date.now() });
    });
    this.socket.on('stream.status', (status: { state: string; gap?: unknown }) => {
      this.statuses.push({ state: status.state, gap: status.gap, atMs: Date.now() });
    });
    this.socket.on('stream.error', (error: unknown) => this.errors.push(error));
  }

  async connected(timeoutMs = 10_000): Promise<void> {
    if (this.socket.connected) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('subscriber did not connect')), timeoutMs);
      this.socket.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  close(): void {
    this.socket.close();
  }
}

/** The longest stretch without an update that overlaps [fromMs, toMs], in seconds. */
export function longestSilence(updates: readonly { atMs: number }[], fromMs: number, toMs: number): number {
  const times = updates.map((u) => u.atMs).sort((a, b) => a - b);
  let previous = times.filter((t) => t <= fromMs).at(-1) ?? fromMs;
  let longest = 0;
  for (const t of times) {
    if (t <= fromMs) continue;
    longest = Math.max(longest, t - previous);
    previous = t;
    if (t >= toMs) return longest / 1000;
  }
  return Math.max(longest, toMs - previous) / 1000;
}
