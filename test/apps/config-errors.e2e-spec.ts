import { describe, expect, it } from '@jest/globals';
import { SpawnedApp } from '../support/spawned-app.js';

describe('configuration is checked before anything starts', () => {
  it.each([
    ['gateway', {}, /^invalid configuration: DATABASE_URL: is required/],
    [
      'scheduler',
      { DATABASE_URL: 'mysql://localhost/db' },
      /^invalid configuration: DATABASE_URL: must be a postgres:\/\/ URL/,
    ],
    [
      'tracker',
      { DATABASE_URL: 'postgres://x@127.0.0.1/db', PORT: 'eighty' },
      /^invalid configuration: PORT: /,
    ],
    [
      'gpu-node',
      { REDIS_URL: 'http://redis' },
      /^invalid configuration: REDIS_URL: must be a redis:\/\/ URL/,
    ],
    ['gpu-node', { NODE_ID: 'bad id with spaces' }, /^invalid configuration: NODE_ID: must be 1-64/],
    [
      'stack',
      { MIGRATE_AT_START: 'perhaps' },
      /^invalid configuration: MIGRATE_AT_START: must be true or false/,
    ],
  ])('%s exits non-zero with one line naming the variable (%j)', async (app, env, message) => {
    const process = SpawnedApp.start(`dist/apps/${app}/src/main.js`, env);
    const code = await process.exitCode();
    expect(code).toBe(78);
    const stderr = process.stderr.join('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message);
  });
});
