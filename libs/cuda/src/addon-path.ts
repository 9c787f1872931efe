/**
 * Where voxelfleet_cuda.node lives. `npm ci` builds it at `<package root>/libs/cuda/build/Release`,
 * and the compiled wrapper runs from anywhere below that root (the sources, dist/, the Docker
 * image's /app, an installed tarball), so the path is found from the package root, not from
 * the wrapper's own file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const PACKAGE_NAME = 'voxelfleet';
export const ADDON_RELATIVE_PATH = join('libs', 'cuda', 'build', 'Release', 'voxelfleet_cuda.node');

/** Where the addon should be, or why no place could be named. */
export type AddonLocation =
  { path: string; source: 'override' | 'package' } | { path: null; searchedFrom: string };

/** The nearest folder at or above `fromDir` whose package.json is this project's; null if none. */
export function findPackageRoot(fromDir: string): string | null {
  for (let dir = resolve(fromDir); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && isOurs(manifest)) return dir;
    if (dirname(dir) === dir) return null;
  }
}

function isOurs(manifest: string): boolean {
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME;
  } catch {
    // An unreadable or half-written package.json belongs to nobody we know.
    return false;
  }
}

/**
 * `VOXELFLEET_CUDA_ADDON` wins when set (bundles copied to a machine without the project);
 * otherwise the package root's build folder. Existence is checked by the loader, which tells
 * "not built" from "failed to load".
 */
export function locateAddon(override: string | undefined, fromDir: string): AddonLocation {
  if (override) return { path: resolve(override), source: 'override' };
  const root = findPackageRoot(fromDir);
  if (!root) return { path: null, searchedFrom: fromDir };
  return { path: join(root, ADDON_RELATIVE_PATH), source: 'package' };
}
