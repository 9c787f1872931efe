import { DEFAULT_BREAKER_CONFIG } from '../circuit-breaker.types.js';
import type { PlacementOptions } from '../placement.types.js';

export function placementOptions(overrides: Partial<PlacementOptions> = {}): PlacementOptions {
  return {
    nowMs: 1_000_000,
    seed: 1,
    policy: 'least-loaded',
    deviceClass: null,
    cpuFallbackPermitted: false,
    breaker: DEFAULT_BREAKER_CONFIG,
    ...overrides,
  };
}
