import { describe, expect, it } from '@jest/globals';
import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { of } from 'rxjs';
import { MaxBodyBytes } from './body-size.interceptor.js';

function contextFor(headers: Record<string, string>, multipart = true): ExecutionContext {
  const request = {
    headers,
    is: (type: string) => (multipart && type === 'multipart/form-data' ? type : false),
  };
  return { switchToHttp: () => ({ getRequest: () => request }) } as unknown as ExecutionContext;
}

const next: CallHandler = { handle: () => of('handled') };

describe('MaxBodyBytes', () => {
  const interceptor = new (MaxBodyBytes(1000))();

  it('lets a declared size within the limit through', () => {
    expect(interceptor.intercept(contextFor({ 'content-length': '1000' }), next)).toBeDefined();
  });

  it('refuses a larger declared size with 413 and no declared size with 411', () => {
    expect(() => interceptor.intercept(contextFor({ 'content-length': '1001' }), next)).toThrow(
      expect.objectContaining({ status: 413 }),
    );
    expect(() => interceptor.intercept(contextFor({}), next)).toThrow(
      expect.objectContaining({ status: 411 }),
    );
  });

  it('leaves bodies that are not multipart to the body parser', () => {
    expect(interceptor.intercept(contextFor({}, false), next)).toBeDefined();
  });
});
