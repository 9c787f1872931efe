/** The tracker's stored shapes inside its jsonb columns (rigs.cameras, tracking_streams.parameters). */

/** One calibrated camera of a rig, as stored (world-to-camera rotation as a unit quaternion). */
export interface StoredRigCamera {
  id: string;
  width: number;
  height: number;
  intrinsics: { fx: number; fy: number; cx: number; cy: number };
  distortion: { k1: number; k2: number; p1: number; p2: number };
  position: [number, number, number];
  /** [w, x, y, z]. */
  quaternion: [number, number, number, number];
}

export type TrackingStreamState = 'created' | 'running' | 'paused' | 'stopped';

/** The tracking parameters a stream was created with. */
export interface StoredStreamParameters {
  /** Background-model threshold, in noise sigmas. */
  motionThreshold: number;
  /** Frame-sets ORed into one evidence window. */
  windowFrames: number;
  /** Cameras that must agree on a voxel. */
  minCameras: number;
  /** Track confirmation: M hits within the last N frame-sets. */
  confirmHits: number;
  confirmWindow: number;
  /** Nominal frame-sets per second (replay at real speed, ETA). */
  fps: number;
}
