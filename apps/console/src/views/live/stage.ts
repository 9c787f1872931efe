import {
  Box3,
  Box3Helper,
  BufferGeometry,
  Color,
  Float32BufferAttribute,
  GridHelper,
  Group,
  LineBasicMaterial,
  LineSegments,
  PerspectiveCamera,
  Scene,
  Vector3,
  WebGLRenderer,
} from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { frustumCorners, gridBounds, type RigCamera } from '../../core/frustum.js';

export interface StageGrid {
  origin: number[];
  dims: number[];
  voxelSize: number;
}

/**
 * The static part of the 3D view: renderer, camera and orbit controls, the grid's bounds,
 * a floor, and each rig camera with its frustum. The world is z-up, as the tracker's is.
 */
export class Stage {
  readonly renderer: WebGLRenderer;
  readonly scene = new Scene();
  readonly camera: PerspectiveCamera;
  readonly controls: OrbitControls;
  readonly centre: Vector3;
  readonly size: number;
  /** Called after the canvas changed size (the scene needs a repaint). */
  onResize: () => void = () => {};
  private readonly resizeObserver: ResizeObserver;

  constructor(
    private readonly container: HTMLElement,
    grid: StageGrid,
    cameras: readonly RigCamera[],
  ) {
    this.renderer = new WebGLRenderer({ antialias: false, powerPreference: 'high-performance' });
    this.renderer.setPixelRatio(Math.min(window.devicePixelRatio, 2));
    this.renderer.domElement.dataset['testid'] = 'live-canvas';
    container.append(this.renderer.domElement);
    this.scene.background = new Color(0x0e1320);

    const [min, max] = gridBounds(grid);
    const box = new Box3(new Vector3(...min), new Vector3(...max));
    this.centre = box.getCenter(new Vector3());
    this.size = box.getSize(new Vector3()).length();

    this.camera = new PerspectiveCamera(50, 1, this.size / 1000, this.size * 50);
    this.camera.up.set(0, 0, 1);
    this.camera.position
      .copy(this.centre)
      .add(new Vector3(this.size * 0.9, -this.size * 1.1, this.size * 0.8));
    this.controls = new OrbitControls(this.camera, this.renderer.domElement);
    this.controls.target.copy(this.centre);
    this.controls.enableDamping = false;
    this.controls.update();

    const bounds = new Box3Helper(box, new Color(0x5b8def));
    bounds.name = 'grid-bounds';
    const floor = new GridHelper(Math.max(max[0] - min[0], max[1] - min[1]) * 1.5, 20, 0x334155, 0x1f2937);
    floor.rotation.x = Math.PI / 2;
    floor.position.set(this.centre.x, this.centre.y, min[2]);
    this.scene.add(bounds, floor, this.rigGroup(cameras));

    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(container);
    this.resize();
  }

  render(): void {
    this.renderer.render(this.scene, this.camera);
  }

  resize(): void {
    const width = Math.max(1, this.container.clientWidth);
    const height = Math.max(1, this.container.clientHeight);
    this.renderer.setSize(width, height);
    this.camera.aspect = width / height;
    this.camera.updateProjectionMatrix();
    this.onResize();
  }

  dispose(): void {
    this.resizeObserver.disconnect();
    this.controls.dispose();
    this.scene.traverse((object) => {
      const disposable = object as { geometry?: { dispose(): void }; material?: { dispose(): void } };
      disposable.geometry?.dispose();
      disposable.material?.dispose();
    });
    this.renderer.dispose();
    this.renderer.domElement.remove();
  }

  /** Each camera: a frustum drawn out to a depth that reads well at the grid's scale. */
  private rigGroup(cameras: readonly RigCamera[]): Group {
    const group = new Group();
    group.name = 'rig';
    const depth = this.size * 0.12;
    const vertices: number[] = [];
    for (const camera of cameras) {
      const c = camera.position;
      const corners = frustumCorners(camera, depth);
      for (let i = 0; i < 4; i++) {
        const a = corners[i]!;
        const b = corners[(i + 1) % 4]!;
        vertices.push(c[0]!, c[1]!, c[2]!, ...a, ...a, ...b);
      }
    }
    const geometry = new BufferGeometry();
    geometry.setAttribute('position', new Float32BufferAttribute(vertices, 3));
    const frusta = new LineSegments(geometry, new LineBasicMaterial({ color: 0xf5b942 }));
    frusta.name = 'camera-frusta';
    group.add(frusta);
    return group;
  }
}
