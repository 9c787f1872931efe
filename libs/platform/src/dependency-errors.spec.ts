import { describe, expect, it } from '@jest/globals';
import { isDependencyUnavailable } from './dependency-errors.js';

describe('isDependencyUnavailable', () => {
  it('knows a Postgres that is shutting down or refusing connections, directly or wrapped by TypeORM', () => {
    expect(
      isDependencyUnavailable(Object.assign(new Error('terminating connection'), { code: '57P01' })),
    ).toBe(true);
    expect(
      isDependencyUnavailable(
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      ),
    ).toBe(true);
    expect(
      isDependencyUnavailable({
        name: 'QueryFailedError',
        message: 'x',
        driverError: new Error('Connection terminated unexpectedly'),
      }),
    ).toBe(true);
    expect(isDependencyUnavailable(new Error('the database system is shutting down'))).toBe(true);
    expect(isDependencyUnavailable(new Error('Connection is closed.'))).toBe(true);
  });

  it('knows a database that stopped answering in time: statement timeout, read timeout, no pooled connection', () => {
    expect(
      isDependencyUnavailable(
        Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }),
      ),
    ).toBe(true);
    expect(
      isDependencyUnavailable({
        name: 'QueryFailedError',
        message: 'x',
        driverError: new Error('Query read timeout'),
      }),
    ).toBe(true);
    expect(isDependencyUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
  });

  it('leaves real faults of the request or the code alone', () => {
    expect(isDependencyUnavailable(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(isDependencyUnavailable(new TypeError('cannot read properties of undefined'))).toBe(false);
    expect(isDependencyUnavailable(undefined)).toBe(false);
    expect(isDependencyUnavailable('ECONNREFUSED')).toBe(false);
  });
});
