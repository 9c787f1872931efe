import type { Me } from '../api/types.js';
import type { Route, Teardown, ViewContext } from './context.js';
import { h, mount } from './dom.js';
import { href, type Router } from './router.js';

/** Header with the nav and who is signed in, and the outlet the current view renders into. */
export function renderShell(
  root: HTMLElement,
  routes: readonly Route[],
  router: Router,
  context: ViewContext,
  me: Me,
  onSignOut: () => void,
): void {
  const links = routes
    .filter((route) => route.nav)
    .map((route) => h('a', { href: href(route.pattern), 'data-nav': route.pattern }, route.nav));
  const outlet = h('main', { class: 'outlet', 'data-testid': 'outlet' });
  const signOut = h('button', { class: 'link', 'data-testid': 'sign-out' }, 'Sign out');
  signOut.addEventListener('click', onSignOut);
  mount(
    root,
    h(
      'header',
      { class: 'top' },
      h('a', { class: 'brand', href: href('/') }, 'Voxelfleet'),
      h('nav', {}, links),
      h(
        'span',
        { class: 'who', 'data-testid': 'who' },
        `${me.name} · ${me.roles.join(', ')}${me.tenant ? ` · ${me.tenant.name}` : ''}`,
      ),
      signOut,
    ),
    outlet,
  );

  let teardown: Teardown | void;
  router.onChange((route, params, path) => {
    teardown?.();
    teardown = undefined;
    for (const link of links) {
      const pattern = link.dataset['nav'] ?? '';
      link.classList.toggle('active', pattern === '/' ? path === '/' : path.startsWith(pattern));
    }
    outlet.replaceChildren();
    if (!route) {
      mount(
        outlet,
        h('section', { class: 'error' }, h('h2', {}, 'Not found'), h('p', {}, `No page at ${path}.`)),
      );
      document.title = 'Not found · Voxelfleet';
      return;
    }
    document.title = `${route.view.title} · Voxelfleet`;
    teardown = route.view.mount(outlet, context, params);
  });
  router.emit();
}
