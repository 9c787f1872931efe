import { kernelMatches } from './kernel-pattern.js';

/** A GPU capability grant: which kernels, on which device classes, and whether on CPU. */
export interface GpuGrant {
  id: string;
  /** Kernel names or patterns (`motion.*`, `**`); see kernelMatches. */
  kernels: readonly string[];
  /** Device-class expressions, read by the matcher given to grantAllows; `*` means any device. */
  deviceClasses: readonly string[];
  /** May the kernel run on the CPU path when no granted GPU is available. */
  cpuFallback: boolean;
  expiresAt?: string | Date | null;
  revokedAt?: string | Date | null;
}

/** One use of GPU resources to decide: a kernel on a device, or on the CPU fallback path. */
export type GpuUse<Device> = { kernel: string; device: Device } | { kernel: string; cpu: true };

/** Interprets a grant's device-class expression against a concrete device. */
export type DeviceClassMatcher<Device> = (expression: string, device: Device) => boolean;

export interface GrantDecision {
  allowed: boolean;
  reason: string;
  /** The grant that allowed it. */
  grantId?: string;
}

export const ANY_DEVICE_CLASS = '*';

/**
 * Default deny: a use is allowed only when one live grant covers both the kernel and the
 * place it runs. The reason for a denial names the closest miss, so an operator can tell a
 * missing kernel grant from a device-class or CPU-fallback one.
 */
export function grantAllows<Device>(
  grants: readonly GpuGrant[],
  use: GpuUse<Device>,
  matchDeviceClass: DeviceClassMatcher<Device>,
  now: Date = new Date(),
): GrantDecision {
  const live = grants.filter((grant) => isLive(grant, now));
  if (live.length === 0) return { allowed: false, reason: 'no GPU grant: GPU use is denied by default' };
  const covering = live.filter((grant) =>
    grant.kernels.some((pattern) => kernelMatches(pattern, use.kernel)),
  );
  if (covering.length === 0) return { allowed: false, reason: `no grant covers kernel '${use.kernel}'` };

  if ('cpu' in use) {
    const grant = covering.find((g) => g.cpuFallback);
    return grant
      ? {
          allowed: true,
          reason: `grant ${grant.id} allows '${use.kernel}' on the CPU fallback`,
          grantId: grant.id,
        }
      : { allowed: false, reason: `grants for kernel '${use.kernel}' do not allow CPU fallback` };
  }
  for (const grant of covering) {
    const expression = grant.deviceClasses.find(
      (e) => e === ANY_DEVICE_CLASS || safeMatch(matchDeviceClass, e, use.device),
    );
    if (expression !== undefined) {
      return {
        allowed: true,
        reason: `grant ${grant.id} allows '${use.kernel}' on device class ${expression}`,
        grantId: grant.id,
      };
    }
  }
  const classes = [...new Set(covering.flatMap((g) => g.deviceClasses))];
  const listed = classes.length === 0 ? 'no device class' : classes.join(' | ');
  return { allowed: false, reason: `device is outside the granted classes for '${use.kernel}' (${listed})` };
}

/** What a principal's live grants allow for one kernel, before any device is known. */
export interface GrantedClasses {
  /** Some live grant covers the kernel. */
  covered: boolean;
  /**
   * The device classes of the covering grants, first seen first; null when one of them allows
   * any device (`*`), so nothing narrows where the kernel runs.
   */
  deviceClasses: string[] | null;
  cpuFallback: boolean;
  /** The covering grants, the ones that limit the job. */
  grantIds: string[];
}

/**
 * The device classes a job of `kernel` may run on under these grants: a device is allowed
 * when one covering grant allows it, so the classes of all covering grants are united. A job
 * records this at submission and placement keeps to it (grantAllows decides the same way for
 * one concrete device).
 */
export function grantedClassesFor(
  grants: readonly GpuGrant[],
  kernel: string,
  now: Date = new Date(),
): GrantedClasses {
  const covering = grants.filter(
    (grant) => isLive(grant, now) && grant.kernels.some((pattern) => kernelMatches(pattern, kernel)),
  );
  const classes = covering.flatMap((grant) => grant.deviceClasses);
  return {
    covered: covering.length > 0,
    deviceClasses: classes.includes(ANY_DEVICE_CLASS) ? null : [...new Set(classes)],
    cpuFallback: covering.some((grant) => grant.cpuFallback),
    grantIds: covering.map((grant) => grant.id),
  };
}

function isLive(grant: GpuGrant, now: Date): boolean {
  // Revocation is immediate; an unreadable expiry counts as expired (NaN > now is false).
  if (grant.revokedAt != null) return false;
  if (grant.expiresAt != null && !(new Date(grant.expiresAt).getTime() > now.getTime())) return false;
  return true;
}

// A matcher that throws on an expression it cannot parse must deny, not break the caller.
function safeMatch<Device>(match: DeviceClassMatcher<Device>, expression: string, device: Device): boolean {
  try {
    return match(expression, device);
  } catch {
    return false;
  }
}
