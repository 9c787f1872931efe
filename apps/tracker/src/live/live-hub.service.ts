import { Inject, Injectable } from '@nestjs/common';
import { METRICS_REGISTRY } from '@voxelfleet/platform';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Namespace, Socket } from 'socket.io';
import { TrackHistoryWriter } from '../history/track-history.writer.js';
import type { RuntimeSink } from '../runtime/stream-runtime.js';
import { SubscriberOutbox, type OutboxEvent } from './subscriber-outbox.js';
import type {
  StreamProgressEvent,
  StreamStatusEvent,
  TrackClientEvents,
  TrackLostEvent,
  TrackServerEvents,
  TrackUpdateEvent,
} from './track-events.js';

export type TracksNamespace = Namespace<TrackClientEvents, TrackServerEvents>;
export type TracksSocket = Socket<TrackClientEvents, TrackServerEvents>;

/** A subscriber with more packets than this waiting in its engine.io buffer is slow. */
export const MAX_BUFFERED_PACKETS = 8;
const SLOW_ROOM = 'slow';

export function streamRoom(streamId: string): string {
  return `stream:${streamId}`;
}

/**
 * Fans a stream's events out to its subscribers. Subscribers that keep up get every event
 * through one broadcast (encoded once); one whose buffer backs up joins the 'slow' room, is
 * left out of broadcasts and gets an outbox holding the latest state per track, sent when its
 * connection drains. Track updates are also recorded for history here, once per frame-set.
 */
@Injectable()
export class LiveHub implements RuntimeSink {
  private nsp: TracksNamespace | null = null;
  private readonly outboxes = new Map<string, SubscriberOutbox>();
  private readonly sent: Counter;
  private readonly coalesced: Counter;

  constructor(
    @Inject(TrackHistoryWriter) private readonly history: TrackHistoryWriter,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.sent = new Counter({
      name: 'tracker_track_updates_broadcast_total',
      help: 'track.update broadcasts (one per frame-set, whatever the subscriber count)',
      registers: [registry],
    });
    this.coalesced = new Counter({
      name: 'tracker_track_updates_coalesced_total',
      help: 'track.update events held for a slow subscriber instead of sent',
      registers: [registry],
    });
    const outboxes = this.outboxes;
    new Gauge({
      name: 'tracker_slow_subscribers',
      help: 'Subscribers currently receiving coalesced updates',
      registers: [registry],
      collect() {
        this.set(outboxes.size);
      },
    });
  }

  /** Subscribers currently on the coalesced path, and the entries their outboxes hold. */
  slowSubscribers(): { count: number; heldEntries: number } {
    let heldEntries = 0;
    for (const outbox of this.outboxes.values()) heldEntries += outbox.size;
    return { count: this.outboxes.size, heldEntries };
  }

  attach(nsp: TracksNamespace): void {
    this.nsp = nsp;
  }

  /** Called once per connection: a drained connection gets what its outbox holds. */
  watch(socket: TracksSocket): void {
    socket.conn.on('drain', () => this.drained(socket));
    socket.on('disconnect', () => this.outboxes.delete(socket.id));
  }

  forget(socket: TracksSocket, streamId: string): void {
    this.outboxes.get(socket.id)?.drop(streamId);
  }

  tracks(tenantId: string, event: TrackUpdateEvent): void {
    this.history.record(tenantId, event);
    this.sent.inc();
    this.fanOut(event.streamId, { name: 'track.update', payload: event }, (o) => {
      this.coalesced.inc();
      o.update(event);
    });
  }

  lost(_tenantId: string, event: TrackLostEvent): void {
    this.fanOut(event.streamId, { name: 'track.lost', payload: event }, (o) => o.lost(event));
  }

  status(event: StreamStatusEvent): void {
    this.fanOut(event.streamId, { name: 'stream.status', payload: event }, (o) => o.status(event));
  }

  progress(event: StreamProgressEvent): void {
    this.fanOut(event.streamId, { name: 'stream.progress', payload: event }, (o) => o.progress(event));
  }

  private fanOut(streamId: string, event: OutboxEvent, hold: (outbox: SubscriberOutbox) => void): void {
    const nsp = this.nsp;
    if (!nsp) return;
    const room = streamRoom(streamId);
    const members = nsp.adapter.rooms.get(room);
    if (members) {
      for (const id of members) {
        const socket = nsp.sockets.get(id);
        if (!socket) continue;
        let outbox = this.outboxes.get(id);
        if (!outbox && bufferedPackets(socket) > MAX_BUFFERED_PACKETS) {
          outbox = new SubscriberOutbox();
          this.outboxes.set(id, outbox);
          void socket.join(SLOW_ROOM);
        }
        if (outbox) hold(outbox);
      }
    }
    // One broadcast for everyone keeping up (and, through the Redis adapter, other instances).
    emitTo(nsp.to(room).except(SLOW_ROOM), event);
  }

  private drained(socket: TracksSocket): void {
    const outbox = this.outboxes.get(socket.id);
    if (!outbox) return;
    if (outbox.empty) {
      // Nothing owed and the buffer is flushed: back to the broadcasts.
      this.outboxes.delete(socket.id);
      void socket.leave(SLOW_ROOM);
      return;
    }
    for (const event of outbox.take()) emitTo(socket, event);
  }
}

function bufferedPackets(socket: TracksSocket): number {
  // engine.io keeps packets the transport could not take yet here; not in its typings.
  const conn = socket.conn as unknown as { writeBuffer?: unknown[] };
  return conn.writeBuffer?.length ?? 0;
}

type Emitter = { emit: TracksSocket['emit'] } | { emit: ReturnType<TracksNamespace['to']>['emit'] };

function emitTo(target: Emitter, event: OutboxEvent): void {
  // The union of event names and payloads is checked by OutboxEvent; emit's overloads cannot
  // see through it, hence the one cast.
  (target.emit as (name: string, payload: unknown) => boolean)(event.name, event.payload);
}
