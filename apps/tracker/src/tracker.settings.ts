export const TRACKER_SETTINGS = Symbol('TRACKER_SETTINGS');

export interface TrackerSettings {
  /** When set, subscribers are shared between tracker instances through the socket.io Redis adapter. */
  redisUrl?: string;
  /** Namespaces the adapter's Redis channels (the transport's queue prefix). */
  socketKeyPrefix: string;
  /** Largest accepted image, bytes (frames and replay). */
  maxImageBytes: number;
  /** Most files in one replay upload. */
  maxReplayFiles: number;
  /** Largest request bodies, bytes: a frame-set, and a replay upload (held in memory). */
  maxFrameSetBytes: number;
  maxReplayBytes: number;
  /**
   * Largest JSON frame-set (motion pixel lists): twenty 3840x2160 cameras with a per cent of
   * their pixels moving is about 13 MB. Other JSON routes keep the apps' 1 MB.
   */
  maxMotionJsonBytes: number;
  /**
   * Where frame-set evidence is computed: `fleet` submits each as a voxel.evidence job (the
   * scheduler places it on a gpu-node), `local` computes it on this process's CPU.
   */
  evidence: 'fleet' | 'local';
  /** A frame-set's evidence not back within this budget is a gap in the stream. */
  evidenceBudgetMs: number;
  /** How often outstanding evidence jobs are looked up. */
  evidencePollMs: number;
  /**
   * The gateway's limits, on every REST route and socket event: requests per key per route
   * (or event) per window, failed authentications per source address (libs/auth
   * RequestLimits). Frame ingest has a budget of its own (FRAME_SETS_PER_WINDOW).
   */
  rateLimit: { enabled: boolean; limit: number; windowMs: number };
  /**
   * How often open sockets' keys are judged again (revoked, disabled, suspended, permission
   * removed: the socket is ended); the key cache's time, so REST and sockets agree.
   */
  sessionRecheckMs: number;
}

/** Frame-sets per key per window on the ingest route and socket event: 240 fps for a minute, with room. */
export const FRAME_SETS_PER_WINDOW = 20_000;

export const DEFAULT_TRACKER_SETTINGS: TrackerSettings = {
  socketKeyPrefix: 'voxelfleet',
  maxImageBytes: 16 * 2 ** 20,
  maxReplayFiles: 20_000,
  maxFrameSetBytes: 64 * 2 ** 20,
  maxReplayBytes: 512 * 2 ** 20,
  maxMotionJsonBytes: 16 * 2 ** 20,
  evidence: 'local',
  evidenceBudgetMs: 3_000,
  evidencePollMs: 5,
  rateLimit: { enabled: true, limit: 600, windowMs: 60_000 },
  sessionRecheckMs: 2_000,
};

/** The tracker's JSON routes that take more than the apps' general JSON limit. */
export const TRACKER_JSON_ROUTE_LIMITS = {
  '/v1/streams/:id/frames': DEFAULT_TRACKER_SETTINGS.maxMotionJsonBytes,
} as const;
