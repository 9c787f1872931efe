import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { firstClosedDirectory } from './path-access.js';

describe('firstClosedDirectory', () => {
  const root = mkdtempSync(join(tmpdir(), 'vf-path-access-'));
  // Another account than the folders' owner and group, as the server's is when root starts it.
  const stranger = { uid: 65_000, gid: 65_000, name: 'stranger' };

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('names the first folder on the way that others may not enter', () => {
    const open = join(root, 'open');
    const closed = join(open, 'closed');
    mkdirSync(join(closed, 'inner'), { recursive: true });
    chmodSync(root, 0o755);
    chmodSync(open, 0o755);
    chmodSync(closed, 0o700);
    expect(firstClosedDirectory(join(closed, 'inner'), stranger)).toBe(closed);
    chmodSync(closed, 0o711);
    expect(firstClosedDirectory(join(closed, 'inner'), stranger)).toBeUndefined();
  });

  it('lets the owner through a folder closed to others, and stops at one not made yet', () => {
    const own = join(root, 'own');
    mkdirSync(own);
    chmodSync(own, 0o700);
    const owner = { uid: process.getuid?.() ?? 0, gid: 65_001, name: 'owner' };
    expect(firstClosedDirectory(join(own, 'not', 'made'), owner)).toBeUndefined();
    expect(firstClosedDirectory(join(own, 'not', 'made'), stranger)).toBe(own);
  });
});
