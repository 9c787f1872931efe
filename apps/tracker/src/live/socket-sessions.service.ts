import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import {
  DenialRecorder,
  sessionStanding,
  type AuthenticatedPrincipal,
  type SessionKeyState,
  type SessionStanding,
} from '@voxelfleet/auth';
import { APP_LOGGER, DATA_SOURCE } from '@voxelfleet/platform';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { TRACKER_SETTINGS, type TrackerSettings } from '../tracker.settings.js';
import type { TracksNamespace, TracksSocket } from './live-hub.service.js';
import { TRACKS_NAMESPACE } from './track-events.js';

interface KeyStateRow {
  key_id: string;
  revoked_at: Date | null;
  expires_at: Date | null;
  principal_id: string;
  tenant_id: string | null;
  roles: string[];
  disabled_at: Date | null;
  tenant_status: string | null;
}

/**
 * Live sockets answer to their key for as long as they stay open. A REST call is judged when
 * it arrives; a socket was judged once, at its handshake, and would otherwise keep receiving
 * track updates after its key was revoked. Every `sessionRecheckMs` (the key cache's time)
 * this process reads the keys of its own open sockets in one query and ends each socket whose
 * key was revoked, deleted or expired, whose principal was disabled or lost `read:streams`,
 * or whose tenant was suspended: a `stream.error` (`session_ended`), then disconnect, audited
 * as a denial. A principal whose roles changed but still reads streams keeps its socket with
 * the new roles. Every tracker instance runs this for its own sockets, so no instance misses
 * a revocation whichever gateway made it.
 */
@Injectable()
export class SocketSessions implements OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(DenialRecorder) private readonly denials: DenialRecorder,
    @Inject(APP_LOGGER) private readonly logger: Logger,
    @Inject(TRACKER_SETTINGS) private readonly settings: TrackerSettings,
  ) {}

  start(nsp: TracksNamespace): void {
    this.timer = setInterval(() => {
      this.running = this.sweep(nsp).catch((error: unknown) =>
        this.logger.warn({ err: error }, 'could not re-check live sessions'),
      );
    }, this.settings.sessionRecheckMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** The standing of one key now (a handshake's check that its tenant is not suspended). */
  async standing(keyId: string): Promise<SessionStanding> {
    const states = await this.read([keyId]);
    return sessionStanding(states.get(keyId), 'read:streams', Date.now());
  }

  /** Re-judges every open socket of this process; returns how many it ended. */
  async sweep(nsp: TracksNamespace): Promise<number> {
    const open: [TracksSocket, AuthenticatedPrincipal][] = [];
    for (const socket of nsp.sockets.values()) {
      const principal = principalOf(socket);
      if (principal !== undefined) open.push([socket, principal]);
    }
    if (open.length === 0) return 0;
    const states = await this.read([...new Set(open.map(([, principal]) => principal.keyId))]);
    const now = Date.now();
    let ended = 0;
    for (const [socket, principal] of open) {
      const standing = sessionStanding(states.get(principal.keyId), 'read:streams', now);
      if (standing.ok) {
        if (!sameRoles(standing.roles, principal.roles))
          (socket.data as { principal?: AuthenticatedPrincipal }).principal = {
            ...principal,
            roles: [...standing.roles],
          };
        continue;
      }
      ended += 1;
      await this.end(socket, principal, standing);
    }
    return ended;
  }

  private async end(
    socket: TracksSocket,
    principal: AuthenticatedPrincipal,
    standing: Extract<SessionStanding, { ok: false }>,
  ): Promise<void> {
    const reason = `live session ended: ${standing.reason}`;
    socket.emit('stream.error', { streamId: null, code: 'session_ended', message: reason });
    socket.disconnect(true);
    await this.denials.record({
      principal,
      origin: { sourceIp: socket.handshake.address ?? null, requestId: null, traceId: null },
      action: 'read:streams',
      resource: { type: 'socket', id: TRACKS_NAMESPACE },
      status: standing.status,
      reason,
    });
  }

  private async read(keyIds: string[]): Promise<Map<string, SessionKeyState>> {
    const rows: KeyStateRow[] = await this.dataSource.query(
      `SELECT k.id AS key_id, k.revoked_at, k.expires_at, p.id AS principal_id, p.tenant_id, p.roles,
              p.disabled_at, t.status AS tenant_status
         FROM api_keys k JOIN principals p ON p.id = k.principal_id
         LEFT JOIN tenants t ON t.id = p.tenant_id
        WHERE k.id = ANY($1::uuid[])`,
      [keyIds],
    );
    return new Map(
      rows.map((row) => [
        row.key_id,
        {
          revokedAt: row.revoked_at,
          expiresAt: row.expires_at,
          principalId: row.principal_id,
          tenantId: row.tenant_id,
          roles: row.roles,
          disabledAt: row.disabled_at,
          tenantStatus: row.tenant_status,
        },
      ]),
    );
  }
}

function principalOf(socket: TracksSocket): AuthenticatedPrincipal | undefined {
  return (socket.data as { principal?: AuthenticatedPrincipal }).principal;
}

function sameRoles(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((role, i) => role === b[i]);
}
