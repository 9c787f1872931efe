/** A client route: `/jobs/:id` style patterns under the console's base path. */
export type RouteParams = Record<string, string>;

/** Params of `path` when it matches `pattern` exactly, else null. */
export function matchRoute(pattern: string, path: string): RouteParams | null {
  const want = segments(pattern);
  const got = segments(path);
  if (want.length !== got.length) return null;
  const params: RouteParams = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (w.startsWith(':')) {
      try {
        params[w.slice(1)] = decodeURIComponent(g);
      } catch {
        return null;
      }
    } else if (w !== g) {
      return null;
    }
  }
  return params;
}

/** The path below the base (`/console/jobs/1` → `/jobs/1`); `/` for the base itself. */
export function stripBase(base: string, pathname: string): string {
  const trimmed = base.endsWith('/') ? base.slice(0, -1) : base;
  if (pathname === trimmed || pathname === `${trimmed}/`) return '/';
  return pathname.startsWith(`${trimmed}/`) ? pathname.slice(trimmed.length) : pathname;
}

function segments(path: string): string[] {
  return path.split('/').filter((part) => part !== '');
}
