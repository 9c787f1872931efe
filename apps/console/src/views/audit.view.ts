import type { AuditPage, AuditVerification } from '../api/types.js';
import type { View } from '../app/context.js';
import { h, mount } from '../app/dom.js';
import { errorPanel } from '../app/errors.js';
import { formatInstant } from '../core/format.js';
import { badge, table } from './table.js';

const FILTERS = [
  ['tenantId', 'tenant id or "platform"'],
  ['action', 'e.g. job.submitted'],
  ['actorId', 'principal id'],
  ['resourceType', 'e.g. job'],
  ['resourceId', ''],
] as const;

/**
 * The audit log for auditors and admins: filters, pages, and the chain verification result.
 * Anyone else gets the gateway's 403 as a denied page.
 */
export const auditView: View = {
  title: 'Audit',
  mount(outlet, { gateway }) {
    const inputs = new Map<string, HTMLInputElement | HTMLSelectElement>();
    const fields = FILTERS.map(([name, placeholder]) => {
      const input = h('input', { name, placeholder });
      inputs.set(name, input);
      return h('label', {}, name, input);
    });
    const outcome = h(
      'select',
      { name: 'outcome' },
      ['', 'allowed', 'denied', 'succeeded', 'failed'].map((o) => h('option', { value: o }, o || 'any')),
    );
    const from = h('input', { name: 'from', type: 'datetime-local' });
    const to = h('input', { name: 'to', type: 'datetime-local' });
    inputs.set('outcome', outcome);
    const form = h(
      'form',
      { class: 'filters', 'data-testid': 'audit-filters' },
      fields,
      h('label', {}, 'outcome', outcome),
      h('label', {}, 'from', from),
      h('label', {}, 'to', to),
      h('button', { type: 'submit' }, 'Filter'),
    );
    const verification = h('section', { 'data-testid': 'audit-verify' });
    const list = h('section', {});
    const more = h('button', { type: 'button', hidden: true }, 'Older entries');
    const body = h('div', {}, h('h1', {}, 'Audit log'), verification, form, list, more);
    mount(outlet, body);

    let cursor: string | null = null;
    let alive = true;
    const query = () => ({
      ...Object.fromEntries([...inputs].map(([name, input]) => [name, input.value.trim() || undefined])),
      from: from.value ? new Date(from.value).toISOString() : undefined,
      to: to.value ? new Date(to.value).toISOString() : undefined,
      limit: 100,
    });
    const load = async (append: boolean) => {
      try {
        const page = await gateway.get<AuditPage>('/admin/audit', {
          ...query(),
          after: append ? (cursor ?? undefined) : undefined,
        });
        if (!alive) return;
        cursor = page.nextCursor;
        more.hidden = cursor === null;
        const rows = auditRows(page);
        if (append) list.querySelector('tbody')?.append(...rows.querySelectorAll('tbody tr'));
        else mount(list, rows);
      } catch (error) {
        if (!alive) return;
        // A denied list means the whole view is denied: replace it, nav stays as it is.
        mount(outlet, errorPanel(error, 'the audit log'));
      }
    };
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void load(false);
    });
    more.addEventListener('click', () => void load(true));
    void load(false);
    gateway.get<AuditVerification>('/admin/audit/verify').then(
      (result) => alive && mount(verification, verificationPanel(result)),
      (error: unknown) => alive && mount(verification, errorPanel(error, 'the chain verification')),
    );
    return () => {
      alive = false;
    };
  },
};

function auditRows(page: AuditPage): HTMLElement {
  return table(
    ['seq', 'at', 'chain', 'actor', 'action', 'resource', 'outcome', 'reason'],
    page.entries.map((entry) => [
      entry.seq,
      formatInstant(entry.at),
      entry.chain === 'platform' ? 'platform' : entry.chain.slice(0, 8),
      `${entry.actor.type}${entry.actor.id ? ` ${entry.actor.id.slice(0, 8)}` : ''} (${entry.actor.roles.join(', ')})`,
      entry.action,
      `${entry.resource.type}${entry.resource.id ? ` ${entry.resource.id.slice(0, 8)}` : ''}`,
      badge(entry.outcome),
      entry.reason,
    ]),
    'audit-table',
    'No entries match.',
  );
}

function verificationPanel(result: AuditVerification): HTMLElement {
  return h(
    'div',
    { class: result.ok ? 'verified' : 'broken' },
    h('h2', {}, result.ok ? 'Chains verified' : 'Chain verification FAILED'),
    h(
      'p',
      { class: 'muted' },
      result.checkpointsTrusted
        ? 'Checked against signed checkpoints.'
        : 'No signing key configured: hash links only, no signed checkpoints.',
    ),
    table(
      ['chain', 'entries checked', 'result'],
      result.chains.map((chain) => [
        chain.chain === 'platform' ? 'platform' : chain.chain,
        chain.result.checked,
        chain.result.ok
          ? chain.badCheckpoints.length === 0
            ? 'intact'
            : `bad checkpoints at ${chain.badCheckpoints.join(', ')}`
          : `broken at seq ${chain.result.firstBrokenSeq}: ${chain.result.reason} (${chain.result.detail})`,
      ]),
      'audit-chains',
      'No chains yet.',
    ),
  );
}
