import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  createSyntheticScene,
  encodePgm,
  encodePng,
  sceneGroundTruth,
  sceneImageFile,
  sceneMetadata,
  sceneRig,
} from '@voxelfleet/voxel';
import { parseSceneArgs, USAGE } from './scene-args.js';

/**
 * `npm run scene -- --out DIR ...`: renders a synthetic scene to DIR: camN/frame_NNNNN.png
 * (or .pgm), metadata.json in the original projector's convention, ground-truth.json and
 * rig.json (full intrinsics and quaternion poses).
 */
function main(): number {
  let cli;
  try {
    cli = parseSceneArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  const scene = createSyntheticScene(cli.scene);
  const encode = cli.format === 'png' ? encodePng : encodePgm;
  for (let f = 0; f < scene.totalFrames; f++) {
    scene.cameras.forEach((_, k) => {
      const path = join(cli.out, sceneImageFile(k, f, cli.format));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, encode(scene.renderFrame(f, k)));
    });
  }
  const json = (name: string, value: unknown) =>
    writeFileSync(join(cli.out, name), JSON.stringify(value, null, 2) + '\n');
  json('metadata.json', sceneMetadata(scene, cli.format));
  json('ground-truth.json', sceneGroundTruth(scene));
  json('rig.json', sceneRig(scene));
  console.log(
    `wrote ${scene.totalFrames} frames x ${scene.cameras.length} cameras (${scene.options.targets} targets, seed ${scene.options.seed}) to ${cli.out}`,
  );
  return 0;
}

process.exitCode = main();
