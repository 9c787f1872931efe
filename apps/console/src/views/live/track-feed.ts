import {
  TRACKS_NAMESPACE,
  type StreamProgressEvent,
  type StreamStatusEvent,
  type TrackClientEvents,
  type TrackServerEvents,
  type TrackUpdateEvent,
} from '@voxelfleet/contracts';
import { io, type Socket } from 'socket.io-client';

export type { TrackUpdateEvent } from '@voxelfleet/contracts';

export interface FeedHandlers {
  update(event: TrackUpdateEvent): void;
  status(event: StreamStatusEvent): void;
  progress(event: StreamProgressEvent): void;
  connection(state: 'connected' | 'subscribed' | 'disconnected' | 'error', detail?: string): void;
}

/**
 * The live track stream of one stream over socket.io. The key goes in the handshake's auth
 * payload (never the URL). WebSocket only: the browser does not apply CORS to it, so the
 * console works against a tracker on another port; the tracker checks the key. On every
 * (re)connect the subscription is renewed.
 */
export function connectFeed(
  trackerUrl: string,
  token: string,
  streamId: string,
  handlers: FeedHandlers,
): () => void {
  const socket: Socket<TrackServerEvents, TrackClientEvents> = io(
    `${trackerUrl.replace(/\/$/, '')}${TRACKS_NAMESPACE}`,
    {
      transports: ['websocket'],
      auth: { token },
    },
  );
  socket.on('connect', () => {
    handlers.connection('connected');
    socket.emit('subscribe', { streamId }, (reply) => {
      handlers.connection(reply.ok ? 'subscribed' : 'error', reply.error);
    });
  });
  socket.on('connect_error', (error) => handlers.connection('error', error.message));
  socket.on('disconnect', (reason) => handlers.connection('disconnected', reason));
  socket.on('track.update', (event) => {
    if (event.streamId === streamId) handlers.update(event);
  });
  socket.on('stream.status', (event) => {
    if (event.streamId === streamId) handlers.status(event);
  });
  socket.on('stream.progress', (event) => {
    if (event.streamId === streamId) handlers.progress(event);
  });
  socket.on('stream.error', (event) => handlers.connection('error', event.message));
  return () => {
    socket.removeAllListeners();
    socket.disconnect();
  };
}
