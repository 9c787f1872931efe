import type { PathKind, SceneEffects, SceneOptions } from '@voxelfleet/voxel';
import { DEFAULT_SCENE_OPTIONS, HARD_SCENE_OPTIONS, NO_EFFECTS } from '@voxelfleet/voxel';

export interface SceneCliOptions {
  out: string;
  format: 'png' | 'pgm';
  scene: Partial<SceneOptions>;
}

export const USAGE = `usage: npm run scene -- --out DIR [options]
  --cameras N            cameras on a ring (default 8)
  --targets N            moving spheres (default 10)
  --preset plain|hard    hard: targets at frame 0, stops, entering and leaving, 3 g turns,
                         mixed sizes and contrasts, shading, clouds, an illumination ramp,
                         one-camera distractors, 1 px shake, 2 ms skew (default plain);
                         the options below override the preset
  --frames N             frames with targets (default 60), after --lead-in empty frames
                         (default 0: targets in view from the first frame)
  --fps N                frame rate (default 20)
  --seed N               random seed; the same seed gives the same scene (default 1)
  --noise SIGMA          sensor noise, grey levels (default 2)
  --resolutions WxH,...  cycled over the cameras, e.g. 1280x720,640x480 (default 320x240)
  --grid NXxNYxNZ        grid dims in voxels (default 64x64x48)
  --voxel METRES         voxel size (default 0.1)
  --radius METRES        target radius (default 0.25)
  --speed M_PER_S        target speed (default 1)
  --paths KIND,...       line, helix, random-walk, crossing, manoeuvre (cycled)
  --turn-g G             centripetal acceleration of manoeuvre turns, g (default 3)
  --stop-fraction F      fraction of targets that stop now and then (default 0)
  --enter-leave F        fraction of targets that enter late and leave early (default 0)
  --shading F            brightness falls by up to F away from the light (default 0)
  --illumination F       brightness ramps by F over the sequence (default 0)
  --clouds LEVELS        contrast of drifting clouds, grey levels (default 0)
  --distractors N        one-camera distractors per camera (default 0)
  --shake PX             camera shake, pixels each way (default 0)
  --skew SECONDS         timestamp skew between cameras, up to (default 0)
  --ring-radius METRES   distance of the cameras from the centre (default 10)
  --fov DEGREES          horizontal field of view (default 55)
  --bit-depth 8|16       sample depth (default 8)
  --format png|pgm       image format (default png)`;

const PATH_KINDS: PathKind[] = ['line', 'helix', 'random-walk', 'crossing', 'manoeuvre'];

function positive(name: string, value: string, integer = false): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) {
    throw new RangeError(
      `--${name} must be a non-negative ${integer ? 'integer' : 'number'}, got "${value}"`,
    );
  }
  return n;
}

function pair(name: string, text: string): [number, number] {
  const m = /^(\d+)x(\d+)$/.exec(text);
  if (!m) throw new RangeError(`--${name} expects WxH, got "${text}"`);
  return [Number(m[1]), Number(m[2])];
}

/** Parses the CLI's arguments; throws a RangeError naming the flag at fault. */
export function parseSceneArgs(argv: string[]): SceneCliOptions {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (!flag.startsWith('--')) throw new RangeError(`unexpected argument "${flag}"`);
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) throw new RangeError(`${flag} needs a value`);
    values.set(flag.slice(2), value);
    i++;
  }
  const out = values.get('out');
  if (!out) throw new RangeError('--out is required');
  const preset = values.get('preset') ?? 'plain';
  if (preset !== 'plain' && preset !== 'hard') throw new RangeError('--preset must be plain or hard');
  const rig = { ...DEFAULT_SCENE_OPTIONS.rig };
  const scene: Partial<SceneOptions> = preset === 'hard' ? { ...HARD_SCENE_OPTIONS } : { leadInFrames: 0 };
  const effects: SceneEffects = { ...(scene.effects ?? NO_EFFECTS) };
  for (const [name, value] of values) {
    switch (name) {
      case 'out':
      case 'format':
      case 'preset':
        break;
      case 'turn-g':
        scene.turnG = positive(name, value);
        break;
      case 'stop-fraction':
        scene.stopFraction = positive(name, value);
        break;
      case 'enter-leave':
        scene.enterLeaveFraction = positive(name, value);
        break;
      case 'shading':
        scene.shading = positive(name, value);
        break;
      case 'illumination':
        effects.illuminationRamp = positive(name, value);
        break;
      case 'clouds':
        effects.cloudContrast = positive(name, value);
        if (effects.cloudSpeed === 0) effects.cloudSpeed = 6;
        break;
      case 'distractors':
        effects.distractorsPerCamera = positive(name, value, true);
        break;
      case 'shake':
        effects.cameraJitterPx = positive(name, value, true);
        break;
      case 'skew':
        effects.timestampJitter = positive(name, value);
        break;
      case 'cameras':
        rig.count = positive(name, value, true);
        break;
      case 'targets':
        scene.targets = positive(name, value, true);
        break;
      case 'frames':
        scene.frames = positive(name, value, true);
        break;
      case 'lead-in':
        scene.leadInFrames = positive(name, value, true);
        break;
      case 'fps':
        scene.fps = positive(name, value);
        break;
      case 'seed':
        scene.seed = positive(name, value, true);
        break;
      case 'noise':
        scene.noiseSigma = positive(name, value);
        break;
      case 'resolutions':
        rig.resolutions = value.split(',').map((r) => pair(name, r));
        break;
      case 'grid': {
        const dims = value.split('x').map((d) => positive(name, d, true));
        if (dims.length !== 3) throw new RangeError('--grid expects NXxNYxNZ');
        scene.gridDims = dims as [number, number, number];
        break;
      }
      case 'voxel':
        scene.voxelSize = positive(name, value);
        break;
      case 'radius':
        scene.targetRadius = positive(name, value);
        break;
      case 'speed':
        scene.speed = positive(name, value);
        break;
      case 'paths': {
        const kinds = value.split(',');
        for (const k of kinds)
          if (!PATH_KINDS.includes(k as PathKind)) throw new RangeError(`--paths: unknown kind "${k}"`);
        scene.paths = kinds as PathKind[];
        break;
      }
      case 'ring-radius':
        if (rig.layout.kind === 'ring') rig.layout = { ...rig.layout, radius: positive(name, value) };
        break;
      case 'fov':
        rig.fovDegrees = positive(name, value);
        break;
      case 'bit-depth':
        if (value !== '8' && value !== '16') throw new RangeError('--bit-depth must be 8 or 16');
        scene.bitDepth = value === '8' ? 8 : 16;
        break;
      default:
        throw new RangeError(`unknown option --${name}`);
    }
  }
  const format = values.get('format') ?? 'png';
  if (format !== 'png' && format !== 'pgm') throw new RangeError('--format must be png or pgm');
  return { out, format, scene: { ...scene, effects, rig } };
}
