import { describe, expect, it } from '@jest/globals';
import { APP_NAMES, DEFAULT_PORTS } from '@voxelfleet/contracts';

describe('app names', () => {
  it('gives every app its own default port', () => {
    const ports = APP_NAMES.map((name) => DEFAULT_PORTS[name]);
    expect(new Set(ports).size).toBe(APP_NAMES.length);
  });
});
