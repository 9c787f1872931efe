import type { LiveScene, SceneSnapshot } from './live-scene.js';

/**
 * `window.voxelfleetView`: a deliberate, read-mostly handle on the live 3D view for browser
 * tests, benchmarks and debugging. `snapshot()` reads the three.js objects themselves (instance
 * matrices, label sprites, the trail buffer's draw range), not the messages that fed them, so
 * it shows what is actually in the scene graph. Present only while a stream view is open.
 */
export interface VoxelfleetViewHandle {
  streamId: string;
  snapshot(): SceneSnapshot;
  /** Frame-sets received over the socket since the view opened. */
  updatesReceived(): number;
  follow(trackId: number | null): void;
  /** Where track `trackId` is drawn on the page, for pointing at it (hover). */
  screenPosition(trackId: number): { x: number; y: number } | null;
  pause(): void;
  play(): void;
  scrub(t: number): void;
}

declare global {
  interface Window {
    voxelfleetView?: VoxelfleetViewHandle;
  }
}

export function installViewHandle(
  streamId: string,
  scene: LiveScene,
  updatesReceived: () => number,
): () => void {
  const handle: VoxelfleetViewHandle = {
    streamId,
    snapshot: () => scene.snapshot(),
    updatesReceived,
    follow: (trackId) => scene.follow(trackId),
    screenPosition: (trackId) => scene.screenPosition(trackId),
    pause: () => scene.pause(),
    play: () => scene.play(),
    scrub: (t) => scene.scrub(t),
  };
  window.voxelfleetView = handle;
  return () => {
    if (window.voxelfleetView === handle) delete window.voxelfleetView;
  };
}
