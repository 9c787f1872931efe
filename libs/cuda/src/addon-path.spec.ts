import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ADDON_RELATIVE_PATH, findPackageRoot, locateAddon } from './addon-path.js';
import { loadAddonAt } from './native.js';

const REPO = resolve(import.meta.dirname, '../../..');
const BUILT = join(REPO, ADDON_RELATIVE_PATH);
const scratch = mkdtempSync(join(tmpdir(), 'vf-addon-path-'));

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(scratch, 'tree-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const ours = JSON.stringify({ name: 'voxelfleet', version: '0.1.0' });

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('locateAddon', () => {
  it('finds the build folder from the compiled wrapper in dist/', () => {
    const root = tree({ 'package.json': ours, 'dist/libs/cuda/src/native.js': '' });
    expect(locateAddon(undefined, join(root, 'dist/libs/cuda/src'))).toEqual({
      path: join(root, ADDON_RELATIVE_PATH),
      source: 'package',
    });
  });

  it('finds it from the TypeScript sources too (one path for tests and the built services)', () => {
    expect(locateAddon(undefined, join(REPO, 'libs/cuda/src'))).toEqual({ path: BUILT, source: 'package' });
  });

  it('finds the installed package inside an application that depends on it', () => {
    const app = tree({
      'package.json': JSON.stringify({ name: 'someone-elses-app' }),
      'node_modules/voxelfleet/package.json': ours,
      // dist/ may carry its own package.json (a "type" marker): not the package root.
      'node_modules/voxelfleet/dist/package.json': JSON.stringify({ type: 'module' }),
    });
    const pkg = join(app, 'node_modules/voxelfleet');
    expect(findPackageRoot(join(pkg, 'dist/libs/cuda/src'))).toBe(pkg);
    expect(locateAddon(undefined, join(pkg, 'dist/libs/cuda/src')).path).toBe(join(pkg, ADDON_RELATIVE_PATH));
  });

  it('lets VOXELFLEET_CUDA_ADDON override the package', () => {
    const root = tree({ 'package.json': ours });
    expect(locateAddon('/opt/x/voxelfleet_cuda.node', root)).toEqual({
      path: '/opt/x/voxelfleet_cuda.node',
      source: 'override',
    });
  });

  it('names no path outside any package (a bundle copied elsewhere without the override)', () => {
    const root = tree({ 'package.json': '{ not json', 'bundle/x.js': '' });
    expect(locateAddon(undefined, join(root, 'bundle'))).toEqual({
      path: null,
      searchedFrom: join(root, 'bundle'),
    });
  });
});

describe('loadAddonAt: the reason says what is true', () => {
  it('"addon not built" when the package has no build', () => {
    const root = tree({ 'package.json': ours });
    const load = loadAddonAt({ path: join(root, ADDON_RELATIVE_PATH), source: 'package' });
    expect(load).toMatchObject({ addon: null, state: 'addon-not-built' });
    expect(load.addon === null && load.reason).toMatch(
      /^addon not built: .*voxelfleet_cuda\.node does not exist/,
    );
  });

  it('"failed to load" when the override names a missing file', () => {
    const load = loadAddonAt({ path: join(scratch, 'nope.node'), source: 'override' });
    expect(load).toMatchObject({ addon: null, state: 'addon-failed-to-load' });
    expect(load.addon === null && load.reason).toMatch(
      /^failed to load: VOXELFLEET_CUDA_ADDON names .*nope\.node/,
    );
  });

  it('"failed to load" with the loader\'s message when the file is not an addon', () => {
    const root = tree({ 'bad.node': 'this is not a shared object' });
    const load = loadAddonAt({ path: join(root, 'bad.node'), source: 'override' });
    expect(load).toMatchObject({ addon: null, state: 'addon-failed-to-load' });
    expect(load.addon === null && load.reason).toMatch(
      /^failed to load: .*bad\.node: .*(invalid ELF|too short)/,
    );
  });

  it('"addon not found" outside any package', () => {
    const load = loadAddonAt({ path: null, searchedFrom: '/somewhere' });
    expect(load).toMatchObject({ addon: null, path: null, state: 'addon-not-found' });
  });

  (existsSync(BUILT) ? it : it.skip)('loads the addon npm ci built', () => {
    const load = loadAddonAt({ path: BUILT, source: 'package' });
    expect(load.path).toBe(BUILT);
    expect(typeof load.addon?.probe).toBe('function');
  });
});
