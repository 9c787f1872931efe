import { ApiError } from '../api/http.js';
import { h } from './dom.js';

/**
 * An error as a panel. A 403 is a denied page of its own, as the gateway answered it, so a
 * user without the permission sees why instead of an empty list.
 */
export function errorPanel(error: unknown, what: string): HTMLElement {
  if (error instanceof ApiError && error.status === 403) {
    return h(
      'section',
      { class: 'denied', 'data-testid': 'denied' },
      h('h2', {}, 'Access denied'),
      h('p', {}, `The gateway refused ${what} (403 ${error.code}): ${error.message}`),
      h('p', { class: 'muted' }, 'Ask a platform admin for a role that grants it.'),
    );
  }
  if (error instanceof ApiError && error.status === 401) {
    return h(
      'section',
      { class: 'error', 'data-testid': 'unauthorized' },
      h('h2', {}, 'Signed out'),
      h('p', {}, `The API key was not accepted (${error.message}). Sign in again.`),
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  const status = error instanceof ApiError ? ` (${error.status} ${error.code})` : '';
  return h(
    'section',
    { class: 'error', 'data-testid': 'error' },
    h('h2', {}, `Could not load ${what}`),
    h('p', {}, `${message}${status}`),
  );
}

/** Runs `load` now and every `intervalMs` until the returned stop is called; one at a time. */
export function poll(load: () => Promise<void>, intervalMs: number): () => void {
  let stopped = false;
  let timer: number | undefined;
  const tick = async () => {
    try {
      await load();
    } finally {
      if (!stopped) timer = window.setTimeout(() => void tick(), intervalMs);
    }
  };
  void tick();
  return () => {
    stopped = true;
    window.clearTimeout(timer);
  };
}
