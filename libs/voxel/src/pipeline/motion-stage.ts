import { hasDistortion, type CameraModel } from '../camera/camera-model.js';
import { createUndistortMap, undistortMask } from '../camera/undistort-map.js';
import { RobustBackgroundModel, type RobustBackgroundOptions } from '../motion/robust-background-model.js';
import { validateMotionPixels, type GreyFrame, type MotionPixels } from '../motion/grey-frame.js';
import {
  buildMaskOccupancy,
  buildOccupancyFromPixels,
  type MaskOccupancy,
} from '../evidence/mask-occupancy.js';

/**
 * Per camera: background model, then the time window's motion mask in ideal pinhole pixels
 * (undistorted), which is what the evidence kernel consumes. The window ORs the motion of
 * the last `windowFrames` frame-sets.
 */
export class MotionStage {
  private readonly models: RobustBackgroundModel[];
  private readonly undistortMaps: (Int32Array | null)[];
  private readonly history: Uint32Array[][];
  private readonly sensorMasks: Uint8Array[];
  private readonly idealMasks: Uint8Array[];

  constructor(
    private readonly cameras: CameraModel[],
    private readonly windowFrames: number,
    background: Partial<RobustBackgroundOptions> = {},
  ) {
    if (!Number.isInteger(windowFrames) || windowFrames < 1)
      throw new RangeError('windowFrames must be >= 1');
    this.models = cameras.map((c) => new RobustBackgroundModel(c.width, c.height, background));
    this.undistortMaps = cameras.map((c) => (hasDistortion(c) ? createUndistortMap(c) : null));
    this.history = cameras.map(() => []);
    this.sensorMasks = cameras.map((c) => new Uint8Array(c.width * c.height));
    this.idealMasks = cameras.map((c) => new Uint8Array(c.width * c.height));
  }

  /**
   * Runs the background model of camera k on a frame (taken at t seconds) and returns its
   * motion; `hold` marks pixels under moving objects (see RobustBackgroundModel.update).
   */
  extract(k: number, frame: GreyFrame, t?: number, hold?: Uint8Array | null): MotionPixels {
    return this.models[k]!.update(frame, t, hold);
  }

  /**
   * Adds camera k's motion (from extract() or from an edge device) to its window and returns
   * the window's ideal-pinhole mask. The mask is reused by the next call for this camera.
   */
  windowMask(k: number, motion: MotionPixels | null): Uint8Array {
    const camera = this.cameras[k]!;
    const window = this.history[k]!;
    if (motion) {
      if (motion.width !== camera.width || motion.height !== camera.height) {
        throw new RangeError(
          `motion of camera ${camera.id} is ${motion.width}x${motion.height}, the camera ${camera.width}x${camera.height}`,
        );
      }
      validateMotionPixels(motion);
    }
    const sensor = this.sensorMasks[k]!;
    // The mask holds exactly the window's pixels: clearing those is cheaper than the frame.
    for (const pixels of window) for (let i = 0; i < pixels.length; i++) sensor[pixels[i]!] = 0;
    window.push(motion ? motion.indices.slice(0, motion.count) : new Uint32Array(0));
    while (window.length > this.windowFrames) window.shift();
    for (const pixels of window) for (let i = 0; i < pixels.length; i++) sensor[pixels[i]!] = 1;
    const map = this.undistortMaps[k];
    return map ? undistortMask(map, sensor, this.idealMasks[k]) : sensor;
  }

  /**
   * The pixels of the mask windowMask(k) last returned, as one list (a pixel may repeat when
   * the window holds several frames), or null when the mask was undistorted (its pixels are
   * not the sensor's).
   */
  windowPixels(k: number): Uint32Array | null {
    if (this.undistortMaps[k]) return null;
    const window = this.history[k]!;
    if (window.length === 1) return window[0]!;
    const out = new Uint32Array(window.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const pixels of window) {
      out.set(pixels, at);
      at += pixels.length;
    }
    return out;
  }

  /** Tile occupancy of the mask windowMask(k) last returned, from the pixel lists when possible. */
  /**
   * windowOccupancy(k) of the current window, computed when called (later calls to
   * windowMask do not change it).
   */
  windowOccupancyLater(k: number): () => MaskOccupancy {
    const camera = this.cameras[k]!;
    if (this.undistortMaps[k]) {
      const occupancy = this.windowOccupancy(k); // the ideal mask is reused: take it now
      return () => occupancy;
    }
    const window = [...this.history[k]!];
    return () => buildOccupancyFromPixels(window, camera.width, camera.height);
  }

  windowOccupancy(k: number): MaskOccupancy {
    const camera = this.cameras[k]!;
    if (this.undistortMaps[k]) return buildMaskOccupancy(this.idealMasks[k]!, camera.width, camera.height);
    return buildOccupancyFromPixels(this.history[k]!, camera.width, camera.height);
  }
}
