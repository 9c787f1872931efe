import { h } from '../app/dom.js';

type Cell = Node | string | number | null | undefined;

/** A plain table; rows carry a test id so browser tests can find them. */
export function table(
  headers: string[],
  rows: Cell[][],
  testId?: string,
  empty = 'Nothing yet.',
): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'muted', 'data-testid': testId }, empty);
  return h(
    'table',
    { 'data-testid': testId },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        headers.map((header) => h('th', {}, header)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((row) =>
        h(
          'tr',
          {},
          row.map((cell) => h('td', {}, cell ?? '—')),
        ),
      ),
    ),
  );
}

/** A state as a coloured badge (colours in styles.css by state name). */
export function badge(state: string): HTMLElement {
  return h('span', { class: `badge state-${state}` }, state);
}

/** A horizontal bar for a fraction 0..1. */
export function meter(fraction: number | null, label: string): HTMLElement {
  const width = fraction === null ? 0 : Math.max(0, Math.min(1, fraction)) * 100;
  return h(
    'span',
    { class: 'meter', title: label },
    h('span', { class: `fill${width > 80 ? ' hot' : ''}`, style: `width:${width.toFixed(1)}%` }),
    h('span', { class: 'meter-label' }, label),
  );
}
