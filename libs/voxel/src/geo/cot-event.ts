/**
 * Cursor-on-Target 2.0 events (MITRE's Event.xsd): the XML that TAK servers and clients take
 * over UDP or TCP. Required by the schema: event@version/uid/type/time/start/stale/how and
 * point@lat/lon/hae/ce/le; decimals are xs:decimal, so never in exponent notation.
 */

/** Event types: the schema's pattern for the type's first component and its optional tail. */
export const COT_TYPE_PATTERN = /^\w+(-\w+)*(;[^;]*)?$/;
export const COT_HOW_PATTERN = /^\w(-\w+)*$/;
/** An unknown-affiliation air track: what a camera tracker knows about a drone it sees. */
export const DEFAULT_COT_TYPE = 'a-u-A';
/** Machine-generated, fused from several sensors (the cameras that agree on the voxel). */
export const DEFAULT_COT_HOW = 'm-f';
/** CoT's "unknown" value for ce and le. */
export const COT_UNKNOWN_ERROR = 9_999_999;

export interface CotEventInput {
  uid: string;
  type: string;
  how: string;
  time: Date;
  start: Date;
  stale: Date;
  point: { lat: number; lon: number; hae: number; ce: number; le: number };
  /** Degrees clockwise from north and m/s, as the `track` detail element carries them. */
  track?: { course: number; speed: number };
  callsign?: string;
  remarks?: string;
}

/** What keeps an input from being a schema-valid event, each naming its field. */
export function cotEventProblems(input: CotEventInput): string[] {
  const problems: string[] = [];
  if (input.uid.length === 0) problems.push('uid: must not be empty');
  if (!COT_TYPE_PATTERN.test(input.type)) problems.push(`type: '${input.type}' is not a CoT type`);
  if (!COT_HOW_PATTERN.test(input.how)) problems.push(`how: '${input.how}' is not a CoT how`);
  for (const name of ['time', 'start', 'stale'] as const) {
    if (!Number.isFinite(input[name].getTime())) problems.push(`${name}: must be a valid time`);
  }
  if (input.stale.getTime() < input.start.getTime()) problems.push('stale: must not be before start');
  const p = input.point;
  for (const name of ['lat', 'lon', 'hae', 'ce', 'le'] as const) {
    if (!Number.isFinite(p[name])) problems.push(`point.${name}: must be a finite number`);
  }
  if (Math.abs(p.lat) > 90) problems.push('point.lat: must be within [-90, 90]');
  if (Math.abs(p.lon) > 180) problems.push('point.lon: must be within [-180, 180]');
  if (p.ce < 0) problems.push('point.ce: must not be negative');
  if (p.le < 0) problems.push('point.le: must not be negative');
  return problems;
}

/** One event as an XML document (declaration included: TAK servers expect one per event). */
export function buildCotEvent(input: CotEventInput): string {
  const problems = cotEventProblems(input);
  if (problems.length > 0) throw new RangeError(problems.join('; '));
  const p = input.point;
  const details: string[] = [];
  if (input.track) {
    details.push(
      `<track course=${attr(decimal(input.track.course, 2))} speed=${attr(decimal(input.track.speed, 3))}/>`,
    );
  }
  if (input.callsign !== undefined) details.push(`<contact callsign=${attr(input.callsign)}/>`);
  if (input.remarks !== undefined) details.push(`<remarks>${text(input.remarks)}</remarks>`);
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    `<event version="2.0" uid=${attr(input.uid)} type=${attr(input.type)} how=${attr(input.how)}` +
    ` time=${attr(isoTime(input.time))} start=${attr(isoTime(input.start))} stale=${attr(isoTime(input.stale))}>` +
    `<point lat=${attr(decimal(p.lat, 8))} lon=${attr(decimal(p.lon, 8))} hae=${attr(decimal(p.hae, 3))}` +
    ` ce=${attr(decimal(Math.min(p.ce, COT_UNKNOWN_ERROR), 3))}` +
    ` le=${attr(decimal(Math.min(p.le, COT_UNKNOWN_ERROR), 3))}/>` +
    `<detail>${details.join('')}</detail>` +
    '</event>'
  );
}

/** CCYY-MM-DDThh:mm:ss.sssZ, as the schema's time fields want it. */
function isoTime(date: Date): string {
  return date.toISOString();
}

/**
 * Fixed-point text with at most `digits` decimals and no trailing zeros: 1e-7 degrees is about
 * a centimetre, so 8 decimals keep lat/lon to the millimetre; never exponent notation.
 */
export function decimal(value: number, digits: number): string {
  const fixed = value.toFixed(digits);
  const trimmed = fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
  return trimmed === '-0' ? '0' : trimmed;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

function escapeXml(value: string): string {
  // Characters XML 1.0 cannot carry at all (controls other than tab, newline, return) are dropped.
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');
  return clean.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function attr(value: string): string {
  return `"${escapeXml(value)}"`;
}

function text(value: string): string {
  return escapeXml(value);
}
