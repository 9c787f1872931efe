import { describe, expect, it } from '@jest/globals';
import { matchRoute, stripBase } from './route.js';

describe('routes', () => {
  it('matches patterns and decodes params', () => {
    expect(matchRoute('/jobs/:id', '/jobs/abc')).toEqual({ id: 'abc' });
    expect(matchRoute('/jobs/:id', '/jobs/a%20b/')).toEqual({ id: 'a b' });
    expect(matchRoute('/jobs/:id', '/jobs')).toBeNull();
    expect(matchRoute('/jobs', '/fleet')).toBeNull();
    expect(matchRoute('/', '/')).toEqual({});
    expect(matchRoute('/jobs/:id', '/jobs/%E0%A4%A')).toBeNull();
  });

  it('strips the base path', () => {
    expect(stripBase('/console/', '/console/jobs/1')).toBe('/jobs/1');
    expect(stripBase('/console/', '/console')).toBe('/');
    expect(stripBase('/console/', '/console/')).toBe('/');
    expect(stripBase('/console/', '/elsewhere')).toBe('/elsewhere');
  });
});
