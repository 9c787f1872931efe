import { parseDeviceClass, type DeviceClass } from './device-class.js';

/**
 * The device class a job may be placed on: its own class (all terms hold) narrowed to the
 * device classes its GPU grants allow (any one of them holds). Carrying the grant as one more
 * term keeps every check that reads a device class (placement, sampling, the never-fits test,
 * preemption) honouring the grant without a second path. `granted` absent means the job is
 * not restricted by grants (a platform caller, or a grant for any device). Throws
 * DeviceClassParseError on an unreadable granted class.
 */
export function grantedDeviceClass(
  own: DeviceClass | null,
  granted: readonly string[] | undefined,
): DeviceClass | null {
  if (granted === undefined) return own;
  const label = `granted (${granted.length === 0 ? 'no device class' : granted.join(' | ')})`;
  const term = { kind: 'any-of', label, classes: granted.map((e) => parseDeviceClass(e)) } as const;
  if (!own) return { source: label, terms: [term] };
  return { source: `${own.source} within ${label}`, terms: [...own.terms, term] };
}
