import { LiveScene } from '../../../apps/console/src/views/live/live-scene.js';
import type { RigCamera } from '../../../apps/console/src/core/frustum.js';
import type { PhaseResult } from '../phase-result.js';
import { syntheticUpdate } from './synthetic-tracks.js';

/**
 * The console's live 3D view (the same LiveScene the stream page uses) fed with synthetic
 * track updates, for bench/console/main.ts. Each update is a JSON string parsed here, as the
 * socket.io client would hand it over, then ingested exactly like a socket message.
 */

const GRID = { origin: [-5, -5, 0], dims: [100, 100, 40], voxelSize: 0.1 };
const scene = new LiveScene(document.getElementById('stage')!, GRID, ringOfCameras(8, 9, [0, 0, 2]));

declare global {
  interface Window {
    bench: { run(seconds: number, tracks: number, updatesPerSecond: number): Promise<PhaseResult> };
  }
}

let t = 0;

window.bench = {
  /**
   * Runs one phase: the camera orbits (so every animation frame renders, as while a user
   * drags the view) and `updatesPerSecond` updates of `tracks` tracks arrive, paced on the
   * clock (late timers catch up, as a socket's buffered messages would).
   */
  run(seconds, tracks, updatesPerSecond) {
    return new Promise((resolve) => {
      const intervals: number[] = [];
      const renderedBefore = scene.framesRendered;
      let updates = 0;
      let last: number | null = null;
      const start = performance.now();
      const feed =
        updatesPerSecond > 0
          ? window.setInterval(
              () => {
                const due = Math.floor(((performance.now() - start) / 1000) * updatesPerSecond);
                while (updates < due) {
                  t += 1 / updatesPerSecond;
                  const message = syntheticUpdate(tracks, t, updates);
                  const event = JSON.parse(message) as {
                    t: number;
                    tracks: Parameters<LiveScene['ingest']>[0]['tracks'];
                  };
                  scene.ingest({ t: event.t, tracks: event.tracks });
                  updates += 1;
                }
              },
              1000 / updatesPerSecond / 2,
            )
          : undefined;
      const step = (now: number) => {
        if (last !== null) intervals.push(now - last);
        last = now;
        orbit(now);
        if (now - start < seconds * 1000) {
          requestAnimationFrame(step);
          return;
        }
        window.clearInterval(feed);
        const snapshot = scene.snapshot();
        resolve({
          intervals,
          updatesIngested: updates,
          framesRendered: scene.framesRendered - renderedBefore,
          tracksDrawn: snapshot.tracks.length,
          trailVertices: snapshot.trailVertices,
        });
      };
      requestAnimationFrame(step);
    });
  },
};

function orbit(now: number): void {
  const { camera, controls } = scene.stage;
  const angle = now / 4000;
  const radius = 14;
  camera.position.set(
    controls.target.x + radius * Math.cos(angle),
    controls.target.y + radius * Math.sin(angle),
    9,
  );
  camera.lookAt(controls.target);
  scene.invalidate();
}

/** Cameras on a ring, each looking at `target` (world-to-camera quaternions, x right, y down, z forward). */
function ringOfCameras(count: number, radius: number, target: number[]): RigCamera[] {
  return Array.from({ length: count }, (_, k) => {
    const a = (2 * Math.PI * k) / count;
    const position = [radius * Math.cos(a), radius * Math.sin(a), 4];
    const forward = normalize(target.map((v, i) => v - position[i]!));
    const right = normalize(cross(forward, [0, 0, 1]));
    const down = cross(forward, right);
    return {
      id: `cam${k}`,
      width: 1280,
      height: 720,
      intrinsics: { fx: 1000, fy: 1000, cx: 640, cy: 360 },
      position,
      quaternion: quaternionOf([...right, ...down, ...forward]),
    };
  });
}

function cross(a: number[], b: number[]): number[] {
  return [a[1]! * b[2]! - a[2]! * b[1]!, a[2]! * b[0]! - a[0]! * b[2]!, a[0]! * b[1]! - a[1]! * b[0]!];
}

function normalize(v: number[]): number[] {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

/** Row-major rotation → unit quaternion [w, x, y, z] (Shepperd). */
function quaternionOf(m: number[]): number[] {
  const [m00, m01, m02, m10, m11, m12, m20, m21, m22] = m as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const trace = m00 + m11 + m22;
  if (trace > 0) {
    const s = 2 * Math.sqrt(trace + 1);
    return [s / 4, (m21 - m12) / s, (m02 - m20) / s, (m10 - m01) / s];
  }
  if (m00 > m11 && m00 > m22) {
    const s = 2 * Math.sqrt(1 + m00 - m11 - m22);
    return [(m21 - m12) / s, s / 4, (m01 + m10) / s, (m02 + m20) / s];
  }
  if (m11 > m22) {
    const s = 2 * Math.sqrt(1 + m11 - m00 - m22);
    return [(m02 - m20) / s, (m01 + m10) / s, s / 4, (m12 + m21) / s];
  }
  const s = 2 * Math.sqrt(1 + m22 - m00 - m11);
  return [(m10 - m01) / s, (m02 + m20) / s, (m12 + m21) / s, s / 4];
}
