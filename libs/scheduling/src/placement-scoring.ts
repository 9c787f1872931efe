import { advanceBreaker } from './circuit-breaker.js';
import { DEFAULT_HOT_TEMPERATURE_C, WARM_TEMPERATURE_C, type PlacementOptions } from './placement.types.js';
import type { DeviceSnapshot, JobSpec, NodeSnapshot, PerformanceHistory } from './snapshot.types.js';

/** Weights of the score terms; policy fit is the base, the others adjust it. */
export const SCORE_WEIGHTS = {
  policy: 1,
  performance: 0.3,
  /** Large enough that a hot device loses to any cool one but is still used when it is all there is. */
  hot: 2,
  warm: 0.3,
  halfOpenBreaker: 0.5,
  /** Co-locating with a tracking stream's state beats every load consideration. */
  streamAffinity: 3,
} as const;

export interface NodeContext {
  /** Running jobs of the same tenant on this node, for the spread policy. */
  readonly tenantJobsOnNode: number;
  readonly holdsAffineStream: boolean;
}

export function scoreDevice(
  device: DeviceSnapshot,
  node: NodeSnapshot,
  job: JobSpec,
  context: NodeContext,
  options: PlacementOptions,
): number {
  return (
    SCORE_WEIGHTS.policy * policyFit(device, job, context, options) +
    SCORE_WEIGHTS.performance * performanceScore(device.performance ?? node.performance) -
    thermalPenalty(device, options) -
    (isHalfOpen(node, device, options) ? SCORE_WEIGHTS.halfOpenBreaker : 0) +
    (context.holdsAffineStream ? SCORE_WEIGHTS.streamAffinity : 0)
  );
}

/** 0..1: how well the device suits the placement policy. */
export function policyFit(
  device: DeviceSnapshot,
  job: JobSpec,
  context: NodeContext,
  options: PlacementOptions,
): number {
  const memory = Math.max(1, device.capability.memoryBytes);
  const freeAfter = Math.max(0, device.freeVramBytes - job.vramBytesPerDevice) / memory;
  const idle = 1 - clamp01(device.utilization);
  const leastLoaded = 0.6 * freeAfter + 0.4 * idle;
  switch (options.policy) {
    case 'least-loaded':
      return leastLoaded;
    case 'bin-pack':
      // Fill the fullest device that still fits, keeping whole devices free for big jobs.
      return 1 - freeAfter;
    case 'spread':
      // Fewer of the tenant's jobs per node limits what one node failure takes down.
      return 0.7 / (1 + context.tenantJobsOnNode) + 0.3 * leastLoaded;
  }
}

/** 0..1, 0.5 when unknown; history earns weight with its sample count. */
export function performanceScore(history: PerformanceHistory | undefined): number {
  if (!history || history.samples <= 0) return 0.5;
  const confidence = history.samples / (history.samples + 10);
  const observed = clamp01(history.successRate) * (Math.min(2, Math.max(0, history.speedFactor)) / 2);
  return 0.5 + confidence * (observed - 0.5);
}

export function thermalPenalty(device: DeviceSnapshot, options: PlacementOptions): number {
  const hot = options.hotTemperatureC ?? DEFAULT_HOT_TEMPERATURE_C;
  if (device.throttling || device.temperatureC >= hot) return SCORE_WEIGHTS.hot;
  if (device.temperatureC <= WARM_TEMPERATURE_C) return 0;
  return (SCORE_WEIGHTS.warm * (device.temperatureC - WARM_TEMPERATURE_C)) / (hot - WARM_TEMPERATURE_C);
}

export function isThermallyAvoided(device: DeviceSnapshot, options: PlacementOptions): boolean {
  return device.throttling || device.temperatureC >= (options.hotTemperatureC ?? DEFAULT_HOT_TEMPERATURE_C);
}

function isHalfOpen(node: NodeSnapshot, device: DeviceSnapshot, options: PlacementOptions): boolean {
  return [node.breaker, device.breaker].some(
    (state) =>
      state !== undefined && advanceBreaker(state, options.nowMs, options.breaker).kind === 'half-open',
  );
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}
