/**
 * The tracker's live stream over socket.io (namespace /tracks): every event's name and payload,
 * for the tracker that sends them and every client (the console, benches, tests) that listens.
 */

/** The states of a track subscribers see: a tentative track is not published, a deleted one is lost. */
export type PublishedTrackState = 'confirmed' | 'coasting';

/** One track at one frame-set, as subscribers and history see it. */
export interface TrackMessage {
  trackId: number;
  /** Time of the frame-set, seconds on the stream's clock. */
  t: number;
  position: [number, number, number];
  velocity: [number, number, number];
  /** 3x3 row-major position covariance, m². */
  covariance: number[];
  confidence: number;
  state: PublishedTrackState;
  /** The position on Earth, when the stream's rig is georeferenced. */
  wgs84?: Wgs84Position;
}

/** Degrees (latitude, longitude) and metres above the WGS84 ellipsoid. */
export interface Wgs84Position {
  lat: number;
  lon: number;
  hae: number;
}

export interface TrackUpdateEvent {
  streamId: string;
  frameSeq: number;
  t: number;
  /** Wall-clock ms when the frame-set's tracks were computed (detection → client latency). */
  detectedAt: number;
  tracks: TrackMessage[];
  /** True when a slow subscriber got the latest state per track of several frame-sets at once. */
  coalesced?: boolean;
}

export interface TrackLostEvent {
  streamId: string;
  trackId: number;
  t: number;
}

export type StreamState = 'created' | 'running' | 'paused' | 'stopped';

export interface StreamStatusEvent {
  streamId: string;
  state: StreamState;
  /** Frame-sets lost since the last status (e.g. refused while busy or undecodable in a replay). */
  gap?: { frames: number; reason: string };
  at: string;
}

export interface ReplayProgress {
  replayId: string;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  speed: 'real' | 'max';
  framesDone: number;
  framesTotal: number;
  framesSkipped: number;
  percent: number;
  /** Seconds left at the current pace; null before the first frame-set. */
  etaSeconds: number | null;
  error?: string;
}

export interface StreamProgressEvent extends ReplayProgress {
  streamId: string;
}

export interface StreamErrorEvent {
  streamId: string | null;
  code: string;
  message: string;
}

/** Server → client events of the /tracks namespace: a typo in a name is a compile error. */
export interface TrackServerEvents {
  'track.update': (event: TrackUpdateEvent) => void;
  'track.lost': (event: TrackLostEvent) => void;
  'stream.status': (event: StreamStatusEvent) => void;
  'stream.progress': (event: StreamProgressEvent) => void;
  'stream.error': (event: StreamErrorEvent) => void;
}

export interface SubscribeReply {
  ok: boolean;
  streamId: string;
  state?: StreamState;
  error?: string;
}

export interface IngestReply {
  ok: boolean;
  streamId: string;
  frameSeq?: number;
  t?: number;
  tracks?: number;
  detections?: number;
  latencyMs?: number;
  status?: number;
  code?: string;
  error?: string;
}

/** Client → server events. */
export interface TrackClientEvents {
  frames: (
    request: { streamId: string; t: number; images: ArrayBuffer[] },
    ack?: (reply: IngestReply) => void,
  ) => void;
  subscribe: (request: { streamId: string }, ack?: (reply: SubscribeReply) => void) => void;
  unsubscribe: (request: { streamId: string }, ack?: (reply: SubscribeReply) => void) => void;
}

export const TRACKS_NAMESPACE = '/tracks';
