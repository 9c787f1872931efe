import { hasDistortion, type CameraModel } from '../camera/camera-model.js';
import { createUndistortMap, undistortMask } from '../camera/undistort-map.js';
import { BackgroundModel, type BackgroundModelOptions } from '../motion/background-model.js';
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
  private readonly models: BackgroundModel[];
  private readonly undistortMaps: (Int32Array | null)[];
  private readonly history: Uint32Array[][];
  private readonly sensorMasks: Uint8Array[];
  private readonly idealMasks: Uint8Array[];

  constructor(
    private readonly cameras: CameraModel[],
    private readonly windowFrames: number,
    background: Partial<BackgroundModelOptions> = {},
  ) {
    if (!Number.isInteger(windowFrames) || windowFrames < 1)
      throw new RangeError('windowFrames must be >= 1');
    this.models = cameras.map((c) => new BackgroundModel(c.width, c.height, background));
    this.undistortMaps = cameras.map((c) => (hasDistortion(c) ? createUndistortMap(c) : null));
    this.history = cameras.map(() => []);
    this.sensorMasks = cameras.map((c) => new Uint8Array(c.width * c.height));
    this.idealMasks = cameras.map((c) => new Uint8Array(c.width * c.height));
  }

  /** Runs the background model of camera k on a frame and returns its motion. */
  extract(k: number, frame: GreyFrame): MotionPixels {
    return this.models[k]!.update(frame);
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
      window.push(motion.indices.slice(0, motion.count));
    } else window.push(new Uint32Array(0));
    while (window.length > this.windowFrames) window.shift();
    const sensor = this.sensorMasks[k]!;
    sensor.fill(0);
    for (const pixels of window) for (let i = 0; i < pixels.length; i++) sensor[pixels[i]!] = 1;
    const map = this.undistortMaps[k];
    return map ? undistortMask(map, sensor, this.idealMasks[k]) : sensor;
  }

  /** Tile occupancy of the mask windowMask(k) last returned, from the pixel lists when possible. */
  windowOccupancy(k: number): MaskOccupancy {
    const camera = this.cameras[k]!;
    if (this.undistortMaps[k]) return buildMaskOccupancy(this.idealMasks[k]!, camera.width, camera.height);
    return buildOccupancyFromPixels(this.history[k]!, camera.width, camera.height);
  }
}
