import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { APP_LOGGER, METRICS_REGISTRY } from '@voxelfleet/platform';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { connect, type Socket as TcpSocket } from 'node:net';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import type { CotTarget } from '@voxelfleet/voxel';

/** A TCP connection with more than this waiting to be written is behind: new events are dropped. */
const MAX_TCP_BACKLOG_BYTES = 1 << 20;
const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 30_000;

/** One stream's CoT destination. */
export interface CotOutlet {
  /** Whether events sent now would go out (always for UDP; TCP once connected). */
  readonly connected: boolean;
  send(events: readonly string[]): void;
  close(): void;
}

/**
 * Sends Cursor-on-Target events to TAK servers: UDP (one datagram per event, unicast or
 * multicast) through one socket per address family, or one TCP connection per stream (events
 * back to back, as a TAK server's streaming input takes them), reconnected with backoff.
 * Positions are perishable, so nothing is queued for later: while a connection is down or
 * behind, events are dropped and counted.
 */
@Injectable()
export class CotSender implements OnModuleDestroy {
  private readonly udp = new Map<'udp4' | 'udp6', UdpSocket>();
  private readonly outlets = new Map<string, CotOutlet>();
  private readonly sent: Counter<'protocol'>;
  private readonly dropped: Counter<'reason'>;

  constructor(
    @Inject(APP_LOGGER) private readonly logger: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.sent = new Counter({
      name: 'tracker_cot_events_sent_total',
      help: 'Cursor-on-Target events handed to the network',
      labelNames: ['protocol'],
      registers: [registry],
    });
    this.dropped = new Counter({
      name: 'tracker_cot_events_dropped_total',
      help: 'Cursor-on-Target events not sent (destination down, behind, or a send error)',
      labelNames: ['reason'],
      registers: [registry],
    });
  }

  /** The stream's outlet (replacing one it had). */
  open(streamId: string, target: CotTarget): CotOutlet {
    this.close(streamId);
    const outlet =
      target.protocol === 'udp' ? this.udpOutlet(streamId, target) : this.tcpOutlet(streamId, target);
    this.outlets.set(streamId, outlet);
    return outlet;
  }

  close(streamId: string): void {
    this.outlets.get(streamId)?.close();
    this.outlets.delete(streamId);
  }

  onModuleDestroy(): void {
    for (const id of [...this.outlets.keys()]) this.close(id);
    for (const socket of this.udp.values()) socket.close();
    this.udp.clear();
  }

  private udpSocket(host: string): UdpSocket {
    // A host name resolves per send; IPv4 is what TAK deployments use when a name has both.
    const family = isIPv6(host) ? 'udp6' : 'udp4';
    let socket = this.udp.get(family);
    if (!socket) {
      socket = createSocket(family);
      socket.on('error', (error) => this.logger.warn({ err: error }, 'CoT UDP socket error'));
      socket.unref();
      this.udp.set(family, socket);
    }
    return socket;
  }

  private udpOutlet(streamId: string, target: CotTarget): CotOutlet {
    let closed = false;
    let warned = false;
    return {
      get connected() {
        return !closed;
      },
      send: (events) => {
        if (closed) return;
        const socket = this.udpSocket(target.host);
        for (const event of events) {
          socket.send(Buffer.from(event, 'utf8'), target.port, target.host, (error) => {
            if (!error) return void this.sent.inc({ protocol: 'udp' });
            this.dropped.inc({ reason: 'send_error' });
            if (!warned) {
              warned = true;
              this.logger.warn(
                { err: error, streamId, host: target.host, port: target.port },
                'CoT UDP send failed',
              );
            }
          });
        }
      },
      close: () => {
        closed = true;
      },
    };
  }

  private tcpOutlet(streamId: string, target: CotTarget): CotOutlet {
    let socket: TcpSocket | null = null;
    let connected = false;
    let closed = false;
    let delay = RECONNECT_MIN_MS;
    let timer: NodeJS.Timeout | null = null;
    const dial = (): void => {
      timer = null;
      if (closed) return;
      const s = connect({ host: target.host, port: target.port });
      socket = s;
      s.setNoDelay(true);
      s.on('connect', () => {
        connected = true;
        delay = RECONNECT_MIN_MS;
      });
      // A TAK server may answer (pings, its own events): read and discard so it never stalls.
      s.on('data', () => undefined);
      s.on('error', (error) => {
        if (delay === RECONNECT_MIN_MS) {
          this.logger.warn(
            { err: error, streamId, host: target.host, port: target.port },
            'CoT TCP connection failed',
          );
        }
      });
      s.on('close', () => {
        connected = false;
        socket = null;
        if (closed) return;
        timer = setTimeout(dial, delay);
        timer.unref();
        delay = Math.min(delay * 2, RECONNECT_MAX_MS);
      });
    };
    dial();
    return {
      get connected() {
        return connected && !closed;
      },
      send: (events) => {
        if (closed) return;
        if (!connected || !socket) return void this.dropped.inc({ reason: 'not_connected' }, events.length);
        if (socket.writableLength > MAX_TCP_BACKLOG_BYTES) {
          return void this.dropped.inc({ reason: 'behind' }, events.length);
        }
        socket.write(events.join(''));
        this.sent.inc({ protocol: 'tcp' }, events.length);
      },
      close: () => {
        closed = true;
        if (timer) clearTimeout(timer);
        socket?.end();
      },
    };
  }
}
