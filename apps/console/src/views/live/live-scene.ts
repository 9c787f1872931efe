import { Matrix4, Raycaster, Vector2, Vector3 } from 'three';
import { FrameStore } from '../../core/frame-store.js';
import type { RigCamera } from '../../core/frustum.js';
import {
  advance,
  EMPTY_TIMELINE,
  frameArrived,
  goLive,
  pause,
  play,
  scrub,
  type TimelineState,
} from '../../core/timeline.js';
import type { TrackFrame, TrackSample } from '../../core/track-frame.js';
import { Stage, type StageGrid } from './stage.js';
import { TRAIL_POINTS, TrackLayer } from './track-layer.js';

/** Frames kept for scrubbing: two minutes at 30 frame-sets/s. */
const FRAMES_KEPT = 3_600;

export interface SceneSnapshot {
  /** Stream time of the frame drawn, null before any. */
  t: number | null;
  mode: TimelineState['mode'];
  /** Every track instance in the scene graph with its drawn position. */
  tracks: { id: number; position: [number, number, number] }[];
  /** Line-segment vertices of the trails being drawn. */
  trailVertices: number;
  /** Total length (m) of those segments, summed from the trail geometry's own buffer. */
  trailLength: number;
  /** Track ids of the label instances in the scene graph. */
  labels: number[];
  followed: number | null;
  framesRendered: number;
}

export interface HoverInfo {
  sample: TrackSample;
  x: number;
  y: number;
}

/**
 * The live 3D view without its network or controls: frames go in through `ingest` (cheap:
 * stored and marked), and one animation-frame loop applies whatever arrived since the last
 * paint, so 30 updates/s of 50 tracks cost one scene update per painted frame.
 */
export class LiveScene {
  readonly stage: Stage;
  readonly layer: TrackLayer;
  readonly store = new FrameStore(FRAMES_KEPT);
  timeline: TimelineState = EMPTY_TIMELINE;
  followed: number | null = null;
  framesRendered = 0;
  onHover: (info: HoverInfo | null) => void = () => {};
  /** Called after each painted frame (for controls that show the time). */
  onPaint: () => void = () => {};

  private appliedT: number | null = null;
  private dirty = true;
  private raf = 0;
  private lastPaint = 0;
  private pointer: Vector2 | null = null;
  private pointerMoved = false;
  private readonly raycaster = new Raycaster();
  private readonly scratch = new Vector3();
  private readonly scratchMatrix = new Matrix4();

  constructor(container: HTMLElement, grid: StageGrid, cameras: readonly RigCamera[]) {
    this.stage = new Stage(container, grid, cameras);
    this.layer = new TrackLayer(Math.max(grid.voxelSize * 2.5, this.stage.size * 0.006));
    this.stage.scene.add(this.layer.group);
    const canvas = this.stage.renderer.domElement;
    canvas.addEventListener('pointermove', (event) => {
      const rect = canvas.getBoundingClientRect();
      this.pointer = new Vector2(
        ((event.clientX - rect.left) / rect.width) * 2 - 1,
        -((event.clientY - rect.top) / rect.height) * 2 + 1,
      );
      this.pointerMoved = true;
    });
    canvas.addEventListener('pointerleave', () => {
      this.pointer = null;
      this.onHover(null);
    });
    canvas.addEventListener('dblclick', () => {
      const hit = this.pick();
      this.follow(hit?.sample.trackId ?? null);
    });
    // Render on demand: a still scene costs no GPU (or, in software GL, CPU) time.
    this.stage.controls.addEventListener('change', () => this.invalidate());
    this.stage.onResize = () => this.invalidate();
    this.raf = requestAnimationFrame((now) => this.frame(now));
  }

  /** Asks for a repaint at the next animation frame. */
  invalidate(): void {
    this.dirty = true;
  }

  /** A frame-set arrived (live or from history): stored now, drawn at the next paint. */
  ingest(frame: TrackFrame): void {
    this.store.insert(frame);
    this.timeline = frameArrived(this.timeline, frame.t);
    // A frame older than the one drawn (history arriving late) means the trails must be rebuilt.
    if (this.appliedT !== null && frame.t < this.appliedT) this.appliedT = null;
  }

  play(): void {
    this.timeline = play(this.timeline);
  }

  pause(): void {
    this.timeline = pause(this.timeline);
  }

  goLive(): void {
    this.timeline = goLive(this.timeline);
  }

  scrub(t: number): void {
    this.timeline = scrub(this.timeline, t);
  }

  follow(trackId: number | null): void {
    this.followed = trackId;
    this.dirty = true;
  }

  snapshot(): SceneSnapshot {
    const points = this.layer.points;
    const ids = points.userData['trackIds'] as Int32Array;
    const tracks: SceneSnapshot['tracks'] = [];
    for (let i = 0; i < points.count; i++) {
      points.getMatrixAt(i, this.scratchMatrix);
      this.scratch.setFromMatrixPosition(this.scratchMatrix);
      tracks.push({ id: ids[i]!, position: [this.scratch.x, this.scratch.y, this.scratch.z] });
    }
    const labelMesh = this.layer.labels.mesh;
    const labelIds = labelMesh.userData['trackIds'] as Int32Array;
    const labels = Array.from(labelIds.subarray(0, labelMesh.count));
    return {
      t: this.appliedT,
      mode: this.timeline.mode,
      tracks,
      trailVertices: this.layer.trails.geometry.drawRange.count,
      trailLength: this.trailLength(),
      labels: labels.sort((a, b) => a - b),
      followed: this.followed,
      framesRendered: this.framesRendered,
    };
  }

  private trailLength(): number {
    const geometry = this.layer.trails.geometry;
    const xyz = geometry.getAttribute('position').array;
    let length = 0;
    for (let v = 0; v + 1 < geometry.drawRange.count; v += 2) {
      const a = v * 3;
      const b = a + 3;
      length += Math.hypot(xyz[b]! - xyz[a]!, xyz[b + 1]! - xyz[a + 1]!, xyz[b + 2]! - xyz[a + 2]!);
    }
    return length;
  }

  /** Where a drawn track appears on the page (CSS pixels from the viewport's corner). */
  screenPosition(trackId: number): { x: number; y: number } | null {
    const position = this.layer.positionOf(trackId, new Vector3());
    if (!position) return null;
    const ndc = position.project(this.stage.camera);
    const rect = this.stage.renderer.domElement.getBoundingClientRect();
    return { x: rect.left + ((ndc.x + 1) / 2) * rect.width, y: rect.top + ((1 - ndc.y) / 2) * rect.height };
  }

  dispose(): void {
    cancelAnimationFrame(this.raf);
    this.layer.dispose();
    this.stage.dispose();
  }

  private frame(now: number): void {
    this.raf = requestAnimationFrame((next) => this.frame(next));
    const dt = this.lastPaint === 0 ? 0 : (now - this.lastPaint) / 1000;
    this.lastPaint = now;
    this.timeline = advance(this.timeline, dt);
    const target = this.timeline.mode === 'live' ? (this.store.last?.t ?? null) : this.timeline.cursor;
    if (target !== null && target !== this.appliedT) {
      this.drawUpTo(target);
      this.dirty = true;
    }
    this.followTrack();
    if (this.pointerMoved) {
      this.pointerMoved = false;
      this.onHover(this.pick());
    }
    if (this.dirty) {
      this.dirty = false;
      this.layer.labels.orient(this.stage.camera);
      this.stage.render();
      this.framesRendered += 1;
    }
    this.onPaint();
  }

  /** Moves the drawing to time `target`: trail points for the frames in between, or a rebuild. */
  private drawUpTo(target: number): void {
    const from = this.appliedT;
    const step = from !== null && target > from ? this.store.between(from, target, TRAIL_POINTS + 1) : null;
    if (step && step.length <= TRAIL_POINTS) {
      for (const frame of step) this.layer.pushTrail(frame);
    } else {
      this.layer.resetTrails();
      for (const frame of this.store.between(-Infinity, target, TRAIL_POINTS)) this.layer.pushTrail(frame);
    }
    this.layer.show(this.store.frameAt(target));
    this.appliedT = target;
  }

  private followTrack(): void {
    if (this.followed === null) return;
    const position = this.layer.positionOf(this.followed, this.scratch);
    if (!position) return;
    // Keep the viewing offset; move camera and target together toward the track.
    const delta = position.sub(this.stage.controls.target).multiplyScalar(0.2);
    if (delta.lengthSq() < 1e-10) return;
    this.stage.controls.target.add(delta);
    this.stage.camera.position.add(delta);
    this.stage.controls.update();
    this.dirty = true;
  }

  private pick(): HoverInfo | null {
    if (!this.pointer || this.layer.points.count === 0) return null;
    this.raycaster.setFromCamera(this.pointer, this.stage.camera);
    this.layer.points.computeBoundingSphere();
    const hit = this.raycaster.intersectObject(this.layer.points, false)[0];
    if (hit?.instanceId === undefined) return null;
    const sample = this.layer.sampleAt(hit.instanceId);
    if (!sample) return null;
    const canvas = this.stage.renderer.domElement;
    const projected = this.scratch.set(...sample.position).project(this.stage.camera);
    return {
      sample,
      x: ((projected.x + 1) / 2) * canvas.clientWidth,
      y: ((1 - projected.y) / 2) * canvas.clientHeight,
    };
  }
}
