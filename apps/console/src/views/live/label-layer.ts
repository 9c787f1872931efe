import {
  CanvasTexture,
  DynamicDrawUsage,
  InstancedBufferAttribute,
  InstancedMesh,
  Matrix4,
  MeshBasicMaterial,
  PlaneGeometry,
  Vector3,
  type PerspectiveCamera,
} from 'three';

const CELL = { width: 64, height: 24 };
const ATLAS = { width: 1024, height: 1024 };
const COLUMNS = ATLAS.width / CELL.width;
const ROWS = Math.floor(ATLAS.height / CELL.height);
/** Label height as a fraction of the view's height, whatever the distance. */
const SCREEN_HEIGHT = 0.03;

/**
 * Track id labels as one InstancedMesh of camera-facing quads over one texture atlas (a cell
 * per track). One draw call for every label: separate sprites cost a draw call and a blend
 * pass each, which was most of a frame's time with 50 tracks in the bench.
 * `mesh.userData.trackIds[i]` is the track whose label instance i shows.
 */
export class LabelLayer {
  readonly mesh: InstancedMesh;
  readonly trackIds: Int32Array;
  private readonly atlas: CanvasTexture<HTMLCanvasElement>;
  private readonly context: CanvasRenderingContext2D | null;
  private readonly cells: InstancedBufferAttribute;
  private readonly cellOf = new Map<number, number>();
  private readonly freeCells: number[];
  private readonly positions: Float32Array;
  private readonly matrix = new Matrix4();
  private readonly at = new Vector3();
  private readonly scale = new Vector3();

  constructor(readonly capacity: number) {
    if (capacity > COLUMNS * ROWS) throw new RangeError(`at most ${COLUMNS * ROWS} labels`);
    const canvas = document.createElement('canvas');
    canvas.width = ATLAS.width;
    canvas.height = ATLAS.height;
    this.context = canvas.getContext('2d');
    this.atlas = new CanvasTexture(canvas);
    this.freeCells = Array.from({ length: capacity }, (_, i) => capacity - 1 - i);
    this.trackIds = new Int32Array(capacity);
    this.positions = new Float32Array(capacity * 3);

    const geometry = new PlaneGeometry(CELL.width / CELL.height, 1);
    this.cells = new InstancedBufferAttribute(new Float32Array(capacity * 2), 2).setUsage(DynamicDrawUsage);
    geometry.setAttribute('labelCell', this.cells);
    const material = new MeshBasicMaterial({
      map: this.atlas,
      transparent: true,
      depthTest: false,
      depthWrite: false,
    });
    // Each instance samples its own cell of the atlas.
    material.onBeforeCompile = (shader) => {
      shader.uniforms['cellSize'] = { value: [CELL.width / ATLAS.width, CELL.height / ATLAS.height] };
      shader.vertexShader =
        `attribute vec2 labelCell;\nuniform vec2 cellSize;\n${shader.vertexShader}`.replace(
          '#include <uv_vertex>',
          '#include <uv_vertex>\n#ifdef USE_MAP\n  vMapUv = vMapUv * cellSize + labelCell;\n#endif',
        );
    };
    this.mesh = new InstancedMesh(geometry, material, capacity);
    this.mesh.instanceMatrix.setUsage(DynamicDrawUsage);
    this.mesh.count = 0;
    this.mesh.frustumCulled = false;
    this.mesh.renderOrder = 10;
    this.mesh.name = 'track-labels';
    this.mesh.userData['trackIds'] = this.trackIds;
  }

  /** Sets the labels shown (ids and anchor points); cells are drawn for new ids only. */
  set(index: number, trackId: number, x: number, y: number, z: number): void {
    let cell = this.cellOf.get(trackId);
    if (cell === undefined) {
      cell = this.freeCells.pop() ?? 0;
      this.cellOf.set(trackId, cell);
      this.draw(cell, `#${trackId}`);
    }
    this.trackIds[index] = trackId;
    this.positions[index * 3] = x;
    this.positions[index * 3 + 1] = y;
    this.positions[index * 3 + 2] = z;
    this.cells.setXY(
      index,
      (cell % COLUMNS) * (CELL.width / ATLAS.width),
      1 - (Math.floor(cell / COLUMNS) + 1) * (CELL.height / ATLAS.height),
    );
  }

  /** Gives back the cells of ids no longer shown. */
  release(trackId: number): void {
    const cell = this.cellOf.get(trackId);
    if (cell === undefined) return;
    this.cellOf.delete(trackId);
    this.freeCells.push(cell);
  }

  setCount(count: number): void {
    this.mesh.count = count;
    this.cells.needsUpdate = true;
  }

  /** Faces every label to the camera at a constant size on screen; call before each render. */
  orient(camera: PerspectiveCamera): void {
    const perUnitDistance = 2 * Math.tan((camera.fov * Math.PI) / 360) * SCREEN_HEIGHT;
    for (let i = 0; i < this.mesh.count; i++) {
      this.at.fromArray(this.positions, i * 3);
      const size = this.at.distanceTo(camera.position) * perUnitDistance;
      this.matrix.compose(this.at, camera.quaternion, this.scale.set(size, size, size));
      this.mesh.setMatrixAt(i, this.matrix);
    }
    this.mesh.instanceMatrix.needsUpdate = true;
  }

  dispose(): void {
    this.mesh.geometry.dispose();
    (this.mesh.material as MeshBasicMaterial).dispose();
    this.atlas.dispose();
  }

  private draw(cell: number, text: string): void {
    const context = this.context;
    if (!context) return;
    const x = (cell % COLUMNS) * CELL.width;
    const y = Math.floor(cell / COLUMNS) * CELL.height;
    context.clearRect(x, y, CELL.width, CELL.height);
    context.fillStyle = 'rgba(15, 20, 30, 0.8)';
    context.fillRect(x + 1, y + 1, CELL.width - 2, CELL.height - 2);
    context.fillStyle = '#f5f7fa';
    context.font = 'bold 16px system-ui, sans-serif';
    context.textAlign = 'center';
    context.textBaseline = 'middle';
    context.fillText(text, x + CELL.width / 2, y + CELL.height / 2 + 1);
    this.atlas.needsUpdate = true;
  }
}
