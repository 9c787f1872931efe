import { ApiClient, ApiError } from '../api/http.js';
import type { Me } from '../api/types.js';
import { h, mount } from './dom.js';
import { session } from './session.js';

/**
 * The sign-in form. The key is checked against GET /v1/me before it is kept; a refused key
 * is never stored.
 */
export function renderSignIn(
  root: HTMLElement,
  gateway: ApiClient,
  onSignedIn: (me: Me) => void,
  notice = '',
): void {
  const input = h('input', {
    type: 'password',
    name: 'apiKey',
    autocomplete: 'off',
    placeholder: 'vf_…',
    required: true,
    'data-testid': 'api-key',
  });
  const message = h('p', { class: 'error-text', role: 'alert', 'data-testid': 'sign-in-error' }, notice);
  const form = h(
    'form',
    { class: 'sign-in' },
    h('h1', {}, 'Voxelfleet console'),
    h('label', {}, 'API key', input),
    h('button', { type: 'submit', 'data-testid': 'sign-in' }, 'Sign in'),
    message,
    h(
      'p',
      { class: 'muted' },
      'The key stays in this tab (session storage) and is sent only as a bearer token.',
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const key = input.value.trim();
    if (!session.looksLikeKey(key)) {
      message.textContent = 'That does not look like an API key (vf_<prefix>_<secret>).';
      return;
    }
    const probe = new ApiClient(gateway.baseUrl, () => key);
    probe.get<Me>('/v1/me').then(
      (me) => {
        session.signIn(key);
        onSignedIn(me);
      },
      (error: unknown) => {
        message.textContent =
          error instanceof ApiError && error.status === 401
            ? 'The gateway did not accept this key.'
            : `Sign-in failed: ${error instanceof Error ? error.message : String(error)}`;
      },
    );
  });
  mount(root, h('main', { class: 'centered' }, form));
  input.focus();
}
