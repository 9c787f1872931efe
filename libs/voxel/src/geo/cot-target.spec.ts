import { describe, expect, it } from '@jest/globals';
import { cotTargetProblems } from './cot-target.js';

describe('cotTargetProblems', () => {
  it('takes IP literals, host names and multicast over UDP', () => {
    for (const host of ['127.0.0.1', '::1', 'tak.example.org', 'takserver', '239.2.3.1', 'fe80::1']) {
      expect(cotTargetProblems({ protocol: 'udp', host, port: 8087 })).toEqual([]);
    }
    expect(cotTargetProblems({ protocol: 'tcp', host: '10.0.0.5', port: 8087 })).toEqual([]);
  });

  it('refuses what no packet can reach, naming the field', () => {
    expect(cotTargetProblems({ protocol: 'udp', host: 'not a host', port: 8087 })).toEqual([
      'cot.host: must be an IPv4/IPv6 address or a host name',
    ]);
    expect(cotTargetProblems({ protocol: 'udp', host: '256.1.1.1', port: 8087 })[0]).toContain('cot.host');
    expect(cotTargetProblems({ protocol: 'udp', host: 'http://tak:8087', port: 8087 })[0]).toContain(
      'cot.host',
    );
    expect(cotTargetProblems({ protocol: 'udp', host: '0.0.0.0', port: 8087 })[0]).toContain('cot.host');
    expect(cotTargetProblems({ protocol: 'udp', host: '255.255.255.255', port: 1 })[0]).toContain('cot.host');
    expect(cotTargetProblems({ protocol: 'tcp', host: '239.2.3.1', port: 6969 })).toEqual([
      "cot.host: a multicast address needs protocol 'udp'",
    ]);
    expect(cotTargetProblems({ protocol: 'udp', host: '127.0.0.1', port: 0 })).toEqual([
      'cot.port: must be an integer within [1, 65535]',
    ]);
    expect(cotTargetProblems({ protocol: 'udp', host: '127.0.0.1', port: 65_536 })[0]).toContain('cot.port');
    expect(cotTargetProblems({ protocol: 'sctp' as 'udp', host: '127.0.0.1', port: 80 })[0]).toContain(
      'cot.protocol',
    );
  });
});
