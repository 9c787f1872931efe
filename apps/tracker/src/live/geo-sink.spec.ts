import { describe, expect, it } from '@jest/globals';
import { LocalGeoFrame } from '@voxelfleet/voxel';
import type { RuntimeSink } from '../runtime/stream-runtime.js';
import type { CotOutlet } from './cot-sender.service.js';
import { cotUid, geoSink } from './geo-sink.js';
import type { TrackLostEvent, TrackMessage, TrackUpdateEvent } from './track-events.js';

const frame = new LocalGeoFrame({
  latitude: -33.8688,
  longitude: 151.2093,
  height: 58,
  frame: 'ENU',
  yawDeg: 0,
});

const track = (trackId: number, x: number): TrackMessage => ({
  trackId,
  t: 1.5,
  position: [x, 20, 30],
  velocity: [0, 4, 0],
  covariance: [0.04, 0, 0, 0, 0.01, 0, 0, 0, 0.09],
  confidence: 0.9,
  state: 'confirmed',
});

function collecting(): { sink: RuntimeSink; updates: TrackUpdateEvent[]; lost: TrackLostEvent[] } {
  const updates: TrackUpdateEvent[] = [];
  const lost: TrackLostEvent[] = [];
  return { sink: { tracks: (_, e) => updates.push(e), lost: (_, e) => lost.push(e) }, updates, lost };
}

function outlet(): CotOutlet & { sent: string[] } {
  const sent: string[] = [];
  return { sent, connected: true, send: (events) => sent.push(...events), close: () => undefined };
}

const attribute = (xml: string, name: string) => new RegExp(` ${name}="([^"]*)"`).exec(xml)?.[1];

describe('geoSink', () => {
  it('adds the WGS84 position to every track and passes the rest through', () => {
    const inner = collecting();
    const sink = geoSink(inner.sink, frame, null);
    sink.tracks('tenant', { streamId: 's', frameSeq: 3, t: 1.5, detectedAt: 1_000, tracks: [track(1, 10)] });
    const out = inner.updates[0]!.tracks[0]!;
    const expected = frame.toGeodetic([10, 20, 30]);
    expect(out.wgs84!.lat).toBeCloseTo(expected.lat, 9);
    expect(out.wgs84!.lon).toBeCloseTo(expected.lon, 9);
    expect(out.wgs84!.hae).toBeCloseTo(expected.hae, 4);
    expect(out.position).toEqual([10, 20, 30]);
    expect(inner.updates[0]).toMatchObject({ streamId: 's', frameSeq: 3, detectedAt: 1_000 });
  });

  it('sends one CoT event per track, then a stale one when the track is lost', () => {
    const inner = collecting();
    const cot = outlet();
    const sink = geoSink(inner.sink, frame, {
      streamId: 's',
      streamName: 'north-field',
      output: { protocol: 'udp', host: '127.0.0.1', port: 8087, type: 'a-u-A-M-H-Q', staleSeconds: 5 },
      outlet: cot,
    });
    const at = Date.parse('2026-12-07T12:00:00.000Z');
    sink.tracks('tenant', {
      streamId: 's',
      frameSeq: 1,
      t: 1.5,
      detectedAt: at,
      tracks: [track(1, 10), track(2, -5)],
    });
    expect(cot.sent).toHaveLength(2);
    const first = cot.sent[0]!;
    expect(attribute(first, 'uid')).toBe(cotUid('s', 1));
    expect(attribute(first, 'type')).toBe('a-u-A-M-H-Q');
    expect(attribute(first, 'start')).toBe('2026-12-07T12:00:00.000Z');
    expect(attribute(first, 'stale')).toBe('2026-12-07T12:00:05.000Z');
    // Moving north at 4 m/s; one-sigma errors from the covariance (0.2 m horizontal, 0.3 m vertical).
    expect(Number(attribute(first, 'course'))).toBeCloseTo(0, 6);
    expect(Number(attribute(first, 'speed'))).toBe(4);
    expect(Number(attribute(first, 'ce'))).toBeCloseTo(0.2, 3);
    expect(Number(attribute(first, 'le'))).toBeCloseTo(0.3, 3);
    expect(attribute(first, 'callsign')).toBe('north-field-1');

    sink.lost('tenant', { streamId: 's', trackId: 2, t: 2 });
    expect(inner.lost).toEqual([{ streamId: 's', trackId: 2, t: 2 }]);
    expect(cot.sent).toHaveLength(3);
    const gone = cot.sent[2]!;
    expect(attribute(gone, 'uid')).toBe(cotUid('s', 2));
    expect(attribute(gone, 'stale')).toBe(attribute(gone, 'start'));
    // A track never sent is not announced as lost.
    sink.lost('tenant', { streamId: 's', trackId: 99, t: 2 });
    expect(cot.sent).toHaveLength(3);
  });
});
