import { Inject, UseFilters, type OnApplicationShutdown } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  type OnGatewayConnection,
  type OnGatewayInit,
} from '@nestjs/websockets';
import { createAdapter } from '@socket.io/redis-adapter';
import {
  ApiKeyAuthenticator,
  can,
  DenialRecorder,
  REQUEST_LIMITS,
  type AuthenticatedPrincipal,
  type RequestLimits,
} from '@voxelfleet/auth';
import { APP_LOGGER, DATA_SOURCE, DomainError } from '@voxelfleet/platform';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { isUuid } from '../common/actor-scope.js';
import { IngestService } from '../ingest/ingest.service.js';
import type { UploadedImage } from '../ingest/uploaded-file.js';
import { streamsRepository } from '../streams/streams.repository.js';
import { FRAME_SETS_PER_WINDOW, TRACKER_SETTINGS, type TrackerSettings } from '../tracker.settings.js';
import { SocketRefusalFilter } from './socket-refusal.filter.js';
import { SocketSessions } from './socket-sessions.service.js';
import { LiveHub, streamRoom, type TracksNamespace, type TracksSocket } from './live-hub.service.js';
import { TRACKS_NAMESPACE, type IngestReply, type SubscribeReply } from './track-events.js';

interface SocketData {
  principal?: AuthenticatedPrincipal;
}

/**
 * The live track stream: socket.io namespace /tracks. The handshake carries an API key
 * (`auth: { token }` or an Authorization header); a client subscribes to streams its tenant
 * owns. Another tenant's stream, or one that does not exist, gets the same refusal (audited).
 */
@WebSocketGateway({
  namespace: TRACKS_NAMESPACE,
  transports: ['websocket', 'polling'],
  // A binary frame-set (one image per camera) must fit in one message.
  maxHttpBufferSize: 32 * 2 ** 20,
})
@UseFilters(SocketRefusalFilter)
export class TracksGateway implements OnGatewayInit, OnGatewayConnection, OnApplicationShutdown {
  private redis: Redis[] = [];

  constructor(
    @Inject(LiveHub) private readonly hub: LiveHub,
    @Inject(ApiKeyAuthenticator) private readonly authenticator: ApiKeyAuthenticator,
    @Inject(DenialRecorder) private readonly denials: DenialRecorder,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(APP_LOGGER) private readonly logger: Logger,
    @Inject(TRACKER_SETTINGS) private readonly settings: TrackerSettings,
    @Inject(IngestService) private readonly ingest: IngestService,
    @Inject(REQUEST_LIMITS) private readonly limits: RequestLimits | null,
    @Inject(SocketSessions) private readonly sessions: SocketSessions,
  ) {}

  afterInit(nsp: TracksNamespace): void {
    this.hub.attach(nsp);
    this.sessions.start(nsp);
    if (this.settings.redisUrl) {
      const pub = new Redis(this.settings.redisUrl, { lazyConnect: false, maxRetriesPerRequest: null });
      const sub = pub.duplicate();
      for (const client of [pub, sub]) {
        client.on('error', (err) => this.logger.warn({ err }, 'socket.io redis adapter connection error'));
      }
      this.redis = [pub, sub];
      nsp.server.adapter(createAdapter(pub, sub, { key: `${this.settings.socketKeyPrefix}:socket.io` }));
    }
    nsp.use((socket, next) => {
      this.authenticate(socket as TracksSocket).then(
        (error) => next(error ?? undefined),
        (error: unknown) => next(error instanceof Error ? error : new Error('authentication failed')),
      );
    });
  }

  handleConnection(socket: TracksSocket): void {
    this.hub.watch(socket);
  }

  @SubscribeMessage('subscribe')
  async subscribe(
    @ConnectedSocket() socket: TracksSocket,
    @MessageBody() body: unknown,
  ): Promise<SubscribeReply> {
    const streamId = streamIdOf(body);
    const principal = (socket.data as SocketData).principal;
    if (!principal) return this.refuse(socket, streamId, 'unauthorized', 'not authenticated');
    const wait = await this.spend(principal, 'subscribe');
    if (wait > 0)
      return this.refuse(socket, streamId, 'rate_limited', `too many requests; retry after ${wait} s`);
    const stream =
      streamId && isUuid(streamId) ? await streamsRepository.find(this.dataSource.manager, streamId) : null;
    const decision = can(principal, 'read:streams', stream ? { tenantId: stream.tenantId } : undefined);
    if (!decision.allowed || stream === null) {
      const forbidden = decision.outcome === 'forbidden';
      await this.denials.record({
        principal,
        origin: { sourceIp: socket.handshake.address ?? null, requestId: null, traceId: null },
        action: 'read:streams',
        resource: { type: 'stream', id: streamId },
        status: forbidden ? 403 : 404,
        reason: forbidden
          ? decision.reason
          : `stream not found in tenant ${principal.tenantId ?? 'platform'}`,
      });
      return this.refuse(
        socket,
        streamId,
        forbidden ? 'forbidden' : 'not_found',
        forbidden ? decision.reason : `stream ${streamId ?? ''} not found`,
      );
    }
    await socket.join(streamRoom(stream.id));
    return { ok: true, streamId: stream.id, state: stream.state };
  }

  /**
   * The live-feed ingest channel: `frames {streamId, t, images: [binary per camera]}` with an
   * ack. Same checks and answers as POST /v1/streams/:id/frames (ingest:streams, own tenant,
   * running stream, images of the cameras' sizes).
   */
  @SubscribeMessage('frames')
  async frames(@ConnectedSocket() socket: TracksSocket, @MessageBody() body: unknown): Promise<IngestReply> {
    const principal = (socket.data as SocketData).principal;
    const request = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const streamId = typeof request['streamId'] === 'string' ? request['streamId'] : '';
    const images = request['images'];
    try {
      if (!principal) throw new DomainError(401, 'unauthorized', 'not authenticated');
      const wait = await this.spend(principal, 'frames', FRAME_SETS_PER_WINDOW);
      if (wait > 0) throw new DomainError(429, 'rate_limited', `too many requests; retry after ${wait} s`);
      if (!Array.isArray(images) || !images.every(isBinary)) {
        throw new DomainError(400, 'bad_frame', 'images: one binary image per camera, in rig order');
      }
      const files: UploadedImage[] = images.map((image, k) => {
        const buffer = Buffer.isBuffer(image) ? image : Buffer.from(image as ArrayBuffer);
        return { fieldname: `cam${k}`, originalname: `cam${k}`, size: buffer.length, buffer };
      });
      const actor = {
        principal,
        sourceIp: socket.handshake.address ?? null,
        requestId: null,
        traceId: null,
      };
      const outcome = await this.ingest.frames(actor, streamId, files, { t: request['t'] });
      return { ok: true, streamId, ...outcome };
    } catch (error) {
      if (error instanceof DomainError) {
        return { ok: false, streamId, status: error.status, code: error.code, error: error.message };
      }
      this.logger.error({ err: error, streamId }, 'socket frame ingest failed');
      return { ok: false, streamId, status: 500, code: 'internal', error: 'internal error' };
    }
  }

  @SubscribeMessage('unsubscribe')
  async unsubscribe(
    @ConnectedSocket() socket: TracksSocket,
    @MessageBody() body: unknown,
  ): Promise<SubscribeReply> {
    const streamId = streamIdOf(body) ?? '';
    const principal = (socket.data as SocketData).principal;
    const wait = principal === undefined ? 0 : await this.spend(principal, 'unsubscribe');
    if (wait > 0) return { ok: false, streamId, error: `too many requests; retry after ${wait} s` };
    await socket.leave(streamRoom(streamId));
    this.hub.forget(socket, streamId);
    return { ok: true, streamId };
  }

  /** After Nest has closed the socket.io server (and its adapter, which unsubscribes). */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.redis.map((client) => client.quit().catch(() => undefined)));
  }

  /**
   * Spends one of the key's requests on a socket event (the same budgets as REST routes);
   * returns the seconds to wait when none is left, else 0.
   */
  private async spend(principal: AuthenticatedPrincipal, event: string, limit?: number): Promise<number> {
    return (await this.limits?.hit(principal.keyId, `socket:${event}`, limit))?.retryAfterSeconds ?? 0;
  }

  private async authenticate(socket: TracksSocket): Promise<Error | null> {
    const source = socket.handshake.address ?? null;
    // As on REST: an address with too many failed authentications waits, before any database read.
    const blocked = this.limits?.sourceBlockedFor(source) ?? 0;
    if (blocked > 0) return rateLimited(blocked);
    const auth = socket.handshake.auth as { token?: unknown } | undefined;
    // The handshake's `auth.token` is the key itself; a header must say Bearer, as on REST.
    const result =
      typeof auth?.token === 'string'
        ? await this.authenticator.authenticateKey(auth.token.trim())
        : await this.authenticator.authenticate(socket.handshake.headers.authorization);
    if (!result.ok) {
      await this.limits?.failed(source);
      await this.denials.record({
        principal: null,
        origin: { sourceIp: source, requestId: null, traceId: null },
        action: 'read:streams',
        resource: { type: 'socket', id: TRACKS_NAMESPACE },
        status: 401,
        reason: result.reason,
      });
      return Object.assign(new Error(`unauthorized: ${result.reason}`), { data: { code: 'unauthorized' } });
    }
    const wait = await this.spend(result.principal, 'connect');
    if (wait > 0) return rateLimited(wait);
    // What the key alone does not say: a suspended tenant or a principal without read:streams
    // is not let in (the same judgement that ends open sockets; see SocketSessions).
    const standing = await this.sessions.standing(result.principal.keyId);
    if (!standing.ok) {
      await this.denials.record({
        principal: result.principal,
        origin: { sourceIp: source, requestId: null, traceId: null },
        action: 'read:streams',
        resource: { type: 'socket', id: TRACKS_NAMESPACE },
        status: standing.status,
        reason: standing.reason,
      });
      return Object.assign(new Error(`${standing.code}: ${standing.reason}`), {
        data: { code: standing.code },
      });
    }
    (socket.data as SocketData).principal = result.principal;
    return null;
  }

  private refuse(
    socket: TracksSocket,
    streamId: string | null,
    code: string,
    message: string,
  ): SubscribeReply {
    socket.emit('stream.error', { streamId, code, message });
    return { ok: false, streamId: streamId ?? '', error: message };
  }
}

function rateLimited(seconds: number): Error {
  return Object.assign(new Error(`rate_limited: retry after ${seconds} s`), {
    data: { code: 'rate_limited', retryAfter: seconds },
  });
}

function isBinary(value: unknown): boolean {
  return Buffer.isBuffer(value) || value instanceof ArrayBuffer || value instanceof Uint8Array;
}

function streamIdOf(body: unknown): string | null {
  if (typeof body === 'string') return body;
  if (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as { streamId?: unknown }).streamId === 'string'
  ) {
    return (body as { streamId: string }).streamId;
  }
  return null;
}
