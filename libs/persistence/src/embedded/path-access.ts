import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ServerAccount } from './server-account.js';

/**
 * The first directory on the way to `path` that `account` may not enter, if any. The server
 * runs as another account when started as root, and a folder under a private home directory
 * (mode 0700) would stop it with an error that names neither the folder nor the account.
 */
export function firstClosedDirectory(path: string, account: ServerAccount): string | undefined {
  const folders: string[] = [];
  for (let current = resolve(path); ; current = dirname(current)) {
    folders.unshift(current);
    if (dirname(current) === current) break;
  }
  for (const folder of folders) {
    let stat;
    try {
      stat = statSync(folder);
    } catch {
      return undefined; // not made yet: it will be made for the account
    }
    const mode = stat.mode;
    const enters =
      stat.uid === account.uid
        ? (mode & 0o100) !== 0
        : stat.gid === account.gid
          ? (mode & 0o010) !== 0
          : (mode & 0o001) !== 0;
    if (!enters) return folder;
  }
  return undefined;
}
