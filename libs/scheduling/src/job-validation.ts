import type { Rejection } from './blockers.js';
import { DeviceClassParseError, parseDeviceClass, type DeviceClass } from './device-class.js';
import { grantedDeviceClass } from './granted-classes.js';
import { PRIORITY_CLASSES } from './priority.js';
import type { JobSpec } from './snapshot.types.js';

export type ParsedJobClass =
  | { readonly ok: true; readonly deviceClass: DeviceClass | null }
  | { readonly ok: false; readonly rejection: Rejection };

/** Shape checks that do not depend on the tenant or the fleet. */
export function validateJob(job: JobSpec): ParsedJobClass {
  const invalid = (reason: string): ParsedJobClass => ({
    ok: false,
    rejection: { code: 'invalid-job', reason },
  });
  if (!PRIORITY_CLASSES.includes(job.priority)) {
    return invalid(`priority must be one of ${PRIORITY_CLASSES.join(', ')}, got ${String(job.priority)}`);
  }
  if (job.deadlineMs !== undefined && !Number.isFinite(job.deadlineMs)) {
    return invalid(`deadlineMs must be a finite time, got ${job.deadlineMs}`);
  }
  if (!Number.isInteger(job.gpus) || job.gpus < 1)
    return invalid(`gpus must be a positive integer, got ${job.gpus}`);
  if (!Number.isFinite(job.vramBytesPerDevice) || job.vramBytesPerDevice < 0) {
    return invalid(`vramBytesPerDevice must be a non-negative number, got ${job.vramBytesPerDevice}`);
  }
  if (job.estimatedDurationMs !== undefined && !(job.estimatedDurationMs >= 0)) {
    return invalid(`estimatedDurationMs must be non-negative, got ${job.estimatedDurationMs}`);
  }
  const expression = job.affinity?.deviceClass;
  try {
    const own = expression === undefined || expression.trim() === '' ? null : parseDeviceClass(expression);
    return { ok: true, deviceClass: grantedDeviceClass(own, job.grantedDeviceClasses) };
  } catch (error) {
    if (error instanceof DeviceClassParseError) return invalid(error.message);
    throw error;
  }
}
