import { isIP } from 'node:net';

/** Where a stream sends its CoT events: a TAK server's (or client's) input. */
export interface CotTarget {
  protocol: 'udp' | 'tcp';
  host: string;
  port: number;
}

/** RFC 1123 host names: dot-separated labels of letters, digits and inner hyphens. */
const HOSTNAME =
  /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

function isMulticast(host: string, family: number): boolean {
  if (family === 4) {
    const first = Number(host.split('.')[0]);
    return first >= 224 && first <= 239;
  }
  return family === 6 && /^ff/i.test(host);
}

/**
 * What is wrong with a CoT destination, each entry naming its field: an address that is
 * neither an IP literal nor a host name, one no packet can be sent to (unspecified, limited
 * broadcast), multicast over TCP, a port outside 1..65535. Empty when it is usable.
 */
export function cotTargetProblems(target: CotTarget, field = 'cot'): string[] {
  const problems: string[] = [];
  if (target.protocol !== 'udp' && target.protocol !== 'tcp') {
    problems.push(`${field}.protocol: must be 'udp' or 'tcp'`);
  }
  const host = target.host;
  const family = typeof host === 'string' ? isIP(host) : 0;
  if (typeof host !== 'string' || (family === 0 && (!HOSTNAME.test(host) || /^[\d.]+$/.test(host)))) {
    problems.push(`${field}.host: must be an IPv4/IPv6 address or a host name`);
  } else if (family !== 0 && /^(0\.0\.0\.0|::|0:0:0:0:0:0:0:0|255\.255\.255\.255)$/.test(host)) {
    problems.push(`${field}.host: ${host} is not an address packets can be sent to`);
  } else if (family !== 0 && isMulticast(host, family) && target.protocol === 'tcp') {
    problems.push(`${field}.host: a multicast address needs protocol 'udp'`);
  }
  if (!Number.isInteger(target.port) || target.port < 1 || target.port > 65_535) {
    problems.push(`${field}.port: must be an integer within [1, 65535]`);
  }
  return problems;
}
