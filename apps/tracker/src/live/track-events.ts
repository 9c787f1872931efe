import type { PublishedTrackState } from '@voxelfleet/contracts';
import type { TrackState } from '@voxelfleet/voxel';

// The /tracks event map is defined once in libs/contracts, where the console reads it too.
export {
  TRACKS_NAMESPACE,
  type IngestReply,
  type ReplayProgress,
  type StreamErrorEvent,
  type StreamProgressEvent,
  type StreamState,
  type StreamStatusEvent,
  type SubscribeReply,
  type TrackClientEvents,
  type TrackLostEvent,
  type TrackMessage,
  type TrackServerEvents,
  type TrackUpdateEvent,
  type Wgs84Position,
} from '@voxelfleet/contracts';

type Published = Exclude<TrackState, 'tentative' | 'deleted'>;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type MustHold<T extends true> = T;
/** Compiles only while the tracker publishes exactly the track states the contract names. */
export type PublishedStatesAgree = MustHold<Same<Published, PublishedTrackState>>;
