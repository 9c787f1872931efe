import { describe, expect, it } from '@jest/globals';
import { buildCotEvent, decimal, type CotEventInput } from './cot-event.js';

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * A strict reader for the XML subset events use (declaration, elements, attributes, text):
 * it throws on anything malformed, unbalanced or left over, so a test on its tree also
 * checks that the document is well-formed.
 */
function parseXml(xml: string): XmlElement {
  let at = 0;
  const decode = (s: string) =>
    s.replace(/&(\w+);/g, (_, name: string) => {
      const value = ENTITIES[name];
      if (value === undefined) throw new Error(`unknown entity &${name};`);
      return value;
    });
  const declaration = /^<\?xml [^?]*\?>/.exec(xml);
  if (declaration) at = declaration[0].length;
  const element = (): XmlElement => {
    const open = /^<([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*(\/?)>/.exec(xml.slice(at));
    if (!open) throw new Error(`expected an element at ${at}: ${xml.slice(at, at + 30)}`);
    at += open[0].length;
    const attributes: Record<string, string> = {};
    for (const m of open[2]!.matchAll(/([A-Za-z_][\w.-]*)="([^"]*)"/g)) {
      if (m[1]! in attributes) throw new Error(`duplicate attribute ${m[1]}`);
      attributes[m[1]!] = decode(m[2]!);
    }
    const node: XmlElement = { name: open[1]!, attributes, children: [], text: '' };
    if (open[3] === '/') return node;
    for (;;) {
      const close = new RegExp(`^</${node.name}>`).exec(xml.slice(at));
      if (close) {
        at += close[0].length;
        return node;
      }
      if (xml[at] === '<') node.children.push(element());
      else {
        const end = xml.indexOf('<', at);
        if (end < 0) throw new Error(`unclosed <${node.name}>`);
        node.text += decode(xml.slice(at, end));
        at = end;
      }
    }
  };
  const root = element();
  if (at !== xml.length) throw new Error(`content after the root element: ${xml.slice(at, at + 30)}`);
  return root;
}

/** Event.xsd's xs:dateTime in the form the schema documents (fractional seconds optional). */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
/** xs:decimal: no exponent, no NaN or infinity. */
const DECIMAL = /^-?\d+(\.\d+)?$/;

const input: CotEventInput = {
  uid: 'voxelfleet.stream-1.track-7',
  type: 'a-u-A',
  how: 'm-f',
  time: new Date('2026-12-07T19:00:00.250Z'),
  start: new Date('2026-12-07T19:00:00.250Z'),
  stale: new Date('2026-12-07T19:00:05.250Z'),
  point: { lat: 47.376912345678, lon: -8.5417, hae: 455.1234, ce: 0.25, le: 0.5 },
  track: { course: 271.5, speed: 12.25 },
  callsign: 'track 7 <north> & "east"',
  remarks: 'confidence 0.93',
};

describe('CoT event builder', () => {
  it("carries every attribute Event.xsd requires, in the schema's formats", () => {
    const event = parseXml(buildCotEvent(input));
    expect(event.name).toBe('event');
    for (const name of ['version', 'uid', 'type', 'time', 'start', 'stale', 'how']) {
      expect(event.attributes).toHaveProperty(name);
    }
    expect(Number(event.attributes['version'])).toBeGreaterThanOrEqual(2);
    expect(event.attributes['uid']).toBe(input.uid);
    expect(event.attributes['type']).toMatch(/^\w+(-\w+)*(;[^;]*)?$/);
    expect(event.attributes['how']).toMatch(/^\w(-\w+)*$/);
    for (const name of ['time', 'start', 'stale']) expect(event.attributes[name]).toMatch(DATE_TIME);
    expect(Date.parse(event.attributes['stale']!)).toBe(input.stale.getTime());

    // xs:all: exactly one point, at most one detail, nothing else.
    const points = event.children.filter((c) => c.name === 'point');
    expect(points).toHaveLength(1);
    expect(event.children.filter((c) => c.name === 'detail').length).toBeLessThanOrEqual(1);
    expect(event.children.every((c) => c.name === 'point' || c.name === 'detail')).toBe(true);
    const point = points[0]!.attributes;
    for (const name of ['lat', 'lon', 'hae', 'ce', 'le']) expect(point[name]).toMatch(DECIMAL);
    expect(Number(point['lat'])).toBeCloseTo(input.point.lat, 8);
    expect(Number(point['lon'])).toBeCloseTo(input.point.lon, 8);
    expect(Number(point['hae'])).toBeCloseTo(input.point.hae, 3);
    expect(Number(point['ce'])).toBe(0.25);
    expect(Number(point['le'])).toBe(0.5);

    const detail = event.children.find((c) => c.name === 'detail')!;
    const track = detail.children.find((c) => c.name === 'track')!;
    expect(track.attributes).toEqual({ course: '271.5', speed: '12.25' });
    // Text that needs escaping survives the round trip.
    expect(detail.children.find((c) => c.name === 'contact')!.attributes['callsign']).toBe(input.callsign);
    expect(detail.children.find((c) => c.name === 'remarks')!.text).toBe(input.remarks);
  });

  it('never writes exponent notation and caps unknown errors at CoT unknown', () => {
    const xml = buildCotEvent({
      ...input,
      point: { lat: 1e-9, lon: -1e-12, hae: 1e-7, ce: 1e30, le: Number.MAX_VALUE },
    });
    const point = parseXml(xml).children.find((c) => c.name === 'point')!.attributes;
    expect(point).toMatchObject({ lat: '0', lon: '0', hae: '0', ce: '9999999', le: '9999999' });
    expect(decimal(-0.0000001, 3)).toBe('0');
    expect(decimal(12.5, 3)).toBe('12.5');
    expect(decimal(100, 2)).toBe('100');
  });

  it('refuses input that would not be a valid event, naming the field', () => {
    expect(() => buildCotEvent({ ...input, type: 'a u A' })).toThrow('type:');
    expect(() => buildCotEvent({ ...input, how: '' })).toThrow('how:');
    expect(() => buildCotEvent({ ...input, uid: '' })).toThrow('uid:');
    expect(() => buildCotEvent({ ...input, point: { ...input.point, lat: 90.5 } })).toThrow('point.lat');
    expect(() => buildCotEvent({ ...input, point: { ...input.point, hae: Number.NaN } })).toThrow(
      'point.hae',
    );
    expect(() => buildCotEvent({ ...input, stale: new Date('2026-12-07T18:00:00Z') })).toThrow('stale:');
    expect(() => buildCotEvent({ ...input, time: new Date(Number.NaN) })).toThrow('time:');
  });

  it('drops characters XML cannot carry instead of writing a broken document', () => {
    const event = parseXml(buildCotEvent({ ...input, remarks: 'a\u0000b\u001fc' }));
    expect(
      event.children.find((c) => c.name === 'detail')!.children.find((c) => c.name === 'remarks')!.text,
    ).toBe('abc');
  });
});
