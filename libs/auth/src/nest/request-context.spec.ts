import { describe, expect, it } from '@jest/globals';
import type { AuthenticatedPrincipal } from './authenticated-principal.js';
import { auditOriginOf, requestActorOf, type AuthenticatedRequest } from './request-context.js';

const principal: AuthenticatedPrincipal = {
  id: 'p-1',
  tenantId: 't-1',
  roles: ['tenant-member'],
  kind: 'service',
  name: 'svc',
  keyId: 'k-1',
  keyPrefix: 'abcdefghij',
  grants: [],
};

function aRequest(overrides: Partial<AuthenticatedRequest> = {}): AuthenticatedRequest & { ipReads: number } {
  const request = { principal, id: 'req-9', socket: { remoteAddress: '10.0.0.1' }, ipReads: 0, ...overrides };
  Object.defineProperty(request, 'ip', {
    get() {
      request.ipReads += 1;
      return '192.0.2.7';
    },
  });
  return request as unknown as AuthenticatedRequest & { ipReads: number };
}

describe('requestActorOf', () => {
  it('is null without an authenticated principal', () => {
    expect(requestActorOf(aRequest({ principal: undefined }))).toBeNull();
  });

  it('works the origin out on first read, once', () => {
    const request = aRequest();
    const actor = requestActorOf(request);
    expect(request.ipReads).toBe(0);
    expect(actor?.principal).toBe(principal);
    expect(actor?.sourceIp).toBe('192.0.2.7');
    expect(actor?.requestId).toBe('req-9');
    expect(actor?.traceId).toBeNull();
    expect(request.ipReads).toBe(1);
  });

  it('never exposes the request it reads from', () => {
    const actor = requestActorOf(aRequest());
    expect(Object.keys(actor ?? {})).toEqual(['principal']);
    expect(JSON.stringify(actor)).not.toContain('remoteAddress');
  });

  it('gives audit entries the caller and origin', () => {
    const actor = requestActorOf(aRequest());
    expect(actor && auditOriginOf(actor)).toEqual({
      actor: { id: 'p-1', type: 'service', roles: ['tenant-member'] },
      sourceIp: '192.0.2.7',
      requestId: 'req-9',
      traceId: null,
    });
  });
});
