import { matchRoute, stripBase, type RouteParams } from '../core/route.js';
import type { Route } from './context.js';

export const BASE = '/console/';

/** History-API routing under /console/; the gateway answers every such path with index.html. */
export class Router {
  private listeners: ((route: Route | null, params: RouteParams, path: string) => void)[] = [];

  constructor(private readonly routes: readonly Route[]) {
    window.addEventListener('popstate', () => this.emit());
    document.addEventListener('click', (event) => this.interceptLink(event));
  }

  onChange(listener: (route: Route | null, params: RouteParams, path: string) => void): void {
    this.listeners.push(listener);
  }

  /** `path` below the base, e.g. `/jobs/123` or `/audit?action=x`. */
  navigate(path: string, replace = false): void {
    const url = `${BASE}${path.replace(/^\//, '')}`;
    if (replace) history.replaceState(null, '', url);
    else history.pushState(null, '', url);
    this.emit();
  }

  current(): string {
    return stripBase(BASE, location.pathname);
  }

  emit(): void {
    const path = this.current();
    for (const route of this.routes) {
      const params = matchRoute(route.pattern, path);
      if (params) {
        this.listeners.forEach((listener) => listener(route, params, path));
        return;
      }
    }
    this.listeners.forEach((listener) => listener(null, {}, path));
  }

  /** Same-origin links under the base navigate without a page load. */
  private interceptLink(event: MouseEvent): void {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey)
      return;
    const anchor = (event.target as Element | null)?.closest('a');
    if (!anchor || anchor.target || anchor.origin !== location.origin || !anchor.pathname.startsWith(BASE))
      return;
    event.preventDefault();
    this.navigate(`${stripBase(BASE, anchor.pathname)}${anchor.search}`);
  }
}

/** An href for a console path. */
export function href(path: string): string {
  return `${BASE}${path.replace(/^\//, '')}`;
}
