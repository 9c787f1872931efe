import type { ApiClient } from '../api/http.js';
import type { ConsoleConfig, Me } from '../api/types.js';
import type { RouteParams } from '../core/route.js';

/** What every view gets: the two services, who is signed in, and navigation. */
export interface ViewContext {
  gateway: ApiClient;
  tracker: ApiClient;
  config: ConsoleConfig;
  me: Me;
  apiKey(): string | null;
  navigate(path: string): void;
}

/** Undoes what a view started (timers, sockets, WebGL); called before the next view mounts. */
export type Teardown = () => void;

export interface View {
  /** Shown in the document title and the nav. */
  title: string;
  mount(outlet: HTMLElement, context: ViewContext, params: RouteParams): Teardown | void;
}

export interface Route {
  pattern: string;
  view: View;
  /** Nav entry for this route; routes with parameters have none. */
  nav?: string;
}
