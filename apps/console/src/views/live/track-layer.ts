import {
  Color,
  BufferAttribute,
  DynamicDrawUsage,
  Group,
  InstancedMesh,
  LineBasicMaterial,
  LineSegments,
  Matrix4,
  MeshBasicMaterial,
  SphereGeometry,
  BufferGeometry,
  Vector3,
} from 'three';
import { TrailRing } from '../../core/trail-ring.js';
import type { TrackFrame, TrackSample } from '../../core/track-frame.js';
import { LabelLayer } from './label-layer.js';

/** Most tracks drawn at once; buffers are sized for this up front. */
export const MAX_TRACKS = 512;
/** Tracks the trail buffers start with room for (they grow when more appear). */
const INITIAL_TRAIL_TRACKS = 64;
/** Points kept per trail (two seconds at 30 updates/s). */
export const TRAIL_POINTS = 60;

interface TrackVisual {
  trackId: number;
  ring: TrailRing;
  color: Color;
  /** Generation of the last frame that showed this track; older ones are released. */
  seen: number;
}

/**
 * Tracks as one InstancedMesh of spheres, one LineSegments of trails (a preallocated
 * buffer rewritten per animation frame from per-track ring buffers) and the id labels (one
 * more InstancedMesh). Nothing here allocates per update.
 * `points.userData.trackIds[i]` names the track drawn by instance i: tests and tools read
 * the scene graph, not the incoming messages.
 */
export class TrackLayer {
  readonly group = new Group();
  readonly points: InstancedMesh;
  readonly trails: LineSegments;
  readonly labels = new LabelLayer(MAX_TRACKS);
  readonly trackIds = new Int32Array(MAX_TRACKS);
  private trailPositions = new Float32Array(0);
  private trailColors = new Float32Array(0);
  /** Tracks the trail buffers have room for; grows by doubling, up to MAX_TRACKS. */
  private trailCapacity = 0;
  private readonly visuals = new Map<number, TrackVisual>();
  private readonly pool: TrackVisual[] = [];
  private readonly samples: (TrackSample | undefined)[] = new Array<TrackSample | undefined>(MAX_TRACKS);
  private readonly matrix = new Matrix4();
  private generation = 0;

  constructor(private readonly radius: number) {
    this.points = new InstancedMesh(
      new SphereGeometry(1, 12, 8),
      new MeshBasicMaterial({ color: 0xffffff }),
      MAX_TRACKS,
    );
    this.points.instanceMatrix.setUsage(DynamicDrawUsage);
    this.points.setColorAt(0, new Color(0xffffff));
    this.points.count = 0;
    // Instances move every frame; culling by a stale bounding sphere would hide them.
    this.points.frustumCulled = false;
    this.points.userData['trackIds'] = this.trackIds;
    this.points.name = 'tracks';

    const geometry = new BufferGeometry();
    geometry.setDrawRange(0, 0);
    this.trails = new LineSegments(
      geometry,
      new LineBasicMaterial({ vertexColors: true, transparent: true, opacity: 0.8 }),
    );
    this.trails.frustumCulled = false;
    this.trails.name = 'trails';
    this.growTrails(INITIAL_TRAIL_TRACKS);
    this.group.add(this.points, this.trails, this.labels.mesh);
  }

  /** Adds one frame's positions to the trails (call for every frame, in time order). */
  pushTrail(frame: TrackFrame): void {
    for (const track of frame.tracks) {
      const visual = this.acquire(track.trackId);
      visual.ring.push(track.position[0], track.position[1], track.position[2]);
    }
  }

  /** Forgets every trail (before replaying frames from another point in time). */
  resetTrails(): void {
    for (const visual of this.visuals.values()) visual.ring.clear();
  }

  /** Draws `frame`: a sphere and label per track, the trails; tracks not in it are released. */
  show(frame: TrackFrame | undefined): void {
    const generation = ++this.generation;
    const tracks = frame?.tracks ?? [];
    const count = Math.min(tracks.length, MAX_TRACKS);
    for (let i = 0; i < count; i++) {
      const track = tracks[i]!;
      const visual = this.acquire(track.trackId);
      visual.seen = generation;
      const [x, y, z] = track.position;
      this.matrix.makeScale(this.radius, this.radius, this.radius).setPosition(x, y, z);
      this.points.setMatrixAt(i, this.matrix);
      this.points.setColorAt(i, visual.color);
      this.trackIds[i] = track.trackId;
      this.samples[i] = track;
      this.labels.set(i, track.trackId, x, y, z + this.radius * 2.5);
    }
    this.samples.fill(undefined, count);
    this.points.count = count;
    this.labels.setCount(count);
    this.points.instanceMatrix.needsUpdate = true;
    if (this.points.instanceColor) this.points.instanceColor.needsUpdate = true;
    for (const visual of this.visuals.values()) {
      if (visual.seen !== generation) this.release(visual);
    }
    this.writeTrails();
  }

  /** The sample drawn by instance `index` (what a hover shows). */
  sampleAt(index: number): TrackSample | undefined {
    return index < this.points.count ? this.samples[index] : undefined;
  }

  /** Where a track is drawn now, read from its instance matrix. */
  positionOf(trackId: number, out: Vector3): Vector3 | null {
    for (let i = 0; i < this.points.count; i++) {
      if (this.trackIds[i] === trackId) {
        this.points.getMatrixAt(i, this.matrix);
        return out.setFromMatrixPosition(this.matrix);
      }
    }
    return null;
  }

  /** Track ids drawn now, in instance order. */
  shownIds(): number[] {
    return Array.from(this.trackIds.subarray(0, this.points.count));
  }

  dispose(): void {
    this.points.geometry.dispose();
    (this.points.material as MeshBasicMaterial).dispose();
    this.trails.geometry.dispose();
    (this.trails.material as LineBasicMaterial).dispose();
    this.labels.dispose();
  }

  /**
   * (Re)allocates the trail buffers for `tracks` tracks. Sized to what is in use rather than
   * MAX_TRACKS: software WebGL (and some drivers) pay for the whole buffer on every update.
   */
  private growTrails(tracks: number): void {
    this.trailCapacity = Math.min(MAX_TRACKS, tracks);
    const floats = this.trailCapacity * (TRAIL_POINTS - 1) * 6;
    this.trailPositions = new Float32Array(floats);
    this.trailColors = new Float32Array(floats);
    const geometry = this.trails.geometry;
    geometry.dispose();
    // BufferAttribute wraps these arrays (Float32BufferAttribute would copy them).
    geometry.setAttribute('position', new BufferAttribute(this.trailPositions, 3).setUsage(DynamicDrawUsage));
    geometry.setAttribute('color', new BufferAttribute(this.trailColors, 3).setUsage(DynamicDrawUsage));
  }

  private writeTrails(): void {
    if (this.visuals.size > this.trailCapacity && this.trailCapacity < MAX_TRACKS) {
      let capacity = this.trailCapacity;
      while (capacity < this.visuals.size) capacity *= 2;
      this.growTrails(capacity);
    }
    let segments = 0;
    for (const visual of this.visuals.values()) {
      // Beyond MAX_TRACKS tracks, the rest go without trails.
      if ((segments + TRAIL_POINTS - 1) * 6 > this.trailPositions.length) break;
      const written = visual.ring.writeSegments(this.trailPositions, segments * 6);
      const { r, g, b } = visual.color;
      for (let v = segments * 2; v < (segments + written) * 2; v++) {
        this.trailColors[v * 3] = r;
        this.trailColors[v * 3 + 1] = g;
        this.trailColors[v * 3 + 2] = b;
      }
      segments += written;
    }
    const geometry = this.trails.geometry;
    geometry.setDrawRange(0, segments * 2);
    // Upload only the part in use.
    for (const name of ['position', 'color']) {
      const attribute = geometry.getAttribute(name) as BufferAttribute;
      attribute.clearUpdateRanges();
      attribute.addUpdateRange(0, Math.max(1, segments * 6));
      attribute.needsUpdate = true;
    }
  }

  private acquire(trackId: number): TrackVisual {
    const existing = this.visuals.get(trackId);
    if (existing) return existing;
    const visual = this.pool.pop() ?? this.createVisual();
    visual.trackId = trackId;
    visual.ring.clear();
    visual.seen = this.generation;
    visual.color.setHSL((trackId * 0.618034) % 1, 0.75, 0.55);
    this.visuals.set(trackId, visual);
    return visual;
  }

  private release(visual: TrackVisual): void {
    this.visuals.delete(visual.trackId);
    this.labels.release(visual.trackId);
    this.pool.push(visual);
  }

  private createVisual(): TrackVisual {
    return { trackId: -1, ring: new TrailRing(TRAIL_POINTS), color: new Color(), seen: 0 };
  }
}
