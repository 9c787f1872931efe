import './styles.css';
import { ApiClient, ApiError } from './api/http.js';
import type { ConsoleConfig, Me } from './api/types.js';
import type { ViewContext } from './app/context.js';
import { h, mount } from './app/dom.js';
import { Router } from './app/router.js';
import { session } from './app/session.js';
import { renderShell } from './app/shell.js';
import { renderSignIn } from './app/sign-in.js';
import { ROUTES } from './routes.js';

const root = document.getElementById('app')!;

async function boot(): Promise<void> {
  const response = await fetch('/console/config.json', { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`config.json: ${response.status}`);
  const config = (await response.json()) as ConsoleConfig;
  const gateway = new ApiClient(location.origin, () => session.key());
  const tracker = new ApiClient(config.trackerUrl, () => session.key());
  const router = new Router(ROUTES);

  const signedIn = (me: Me) => {
    const context: ViewContext = {
      gateway,
      tracker,
      config,
      me,
      apiKey: () => session.key(),
      navigate: (path) => router.navigate(path),
    };
    renderShell(root, ROUTES, router, context, me, () => {
      session.signOut();
      // A full reload drops every socket and timer of the signed-in views.
      location.assign('/console/');
    });
  };
  const signIn = (notice = '') => renderSignIn(root, gateway, signedIn, notice);

  if (!session.key()) return signIn();
  try {
    signedIn(await gateway.get<Me>('/v1/me'));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      session.signOut();
      return signIn('Your key is no longer accepted; sign in again.');
    }
    throw error;
  }
}

boot().catch((error: unknown) => {
  mount(
    root,
    h(
      'main',
      { class: 'centered' },
      h('section', { class: 'error' }, h('h2', {}, 'The console could not start'), h('p', {}, String(error))),
    ),
  );
});
