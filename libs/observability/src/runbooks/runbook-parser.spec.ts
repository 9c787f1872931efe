import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parseRunbooks, parseSelector, RunbookFormatError } from './runbook-parser.js';

const page = (...sections: string[]) => ['# Runbooks', '', ...sections].join('\n');

const nodeLost = [
  '<a id="node-lost"></a>',
  '',
  '## Node lost',
  '',
  'Heartbeats stopped.',
  '',
  '### Detection',
  '',
  '- alert: `VoxelfleetNodeLost`',
  '- metric: `voxelfleet_fleet_nodes{state="lost"}` lost nodes',
  '- log: `"msg":"node state changed"` (scheduler) with `"to":"lost"`',
  '- endpoint: `GET /admin/gpu/nodes/{id}`',
  '',
  '### What to do',
  '',
  '- restart it: `not a detection item`',
].join('\n');

describe('parseRunbooks', () => {
  it('returns each runbook with its anchor, title and detection items by kind', () => {
    const [runbook, ...rest] = parseRunbooks(page(nodeLost));
    expect(rest).toEqual([]);
    expect(runbook).toEqual({
      id: 'node-lost',
      title: 'Node lost',
      alerts: [{ name: 'VoxelfleetNodeLost', line: 11 }],
      metrics: [
        {
          selector: 'voxelfleet_fleet_nodes{state="lost"}',
          name: 'voxelfleet_fleet_nodes',
          matchers: [{ label: 'state', op: '=', value: 'lost' }],
          note: 'lost nodes',
          line: 12,
        },
      ],
      logs: [
        {
          text: '"msg":"node state changed"',
          msg: 'node state changed',
          service: 'scheduler',
          note: '(scheduler) with `"to":"lost"`',
          line: 13,
        },
      ],
      endpoints: [{ method: 'GET', path: '/admin/gpu/nodes/{id}', line: 14 }],
    });
  });

  it('ignores sections without a Detection list and anything inside code fences', () => {
    const format = ['## Format', '', '```', '## Not a heading', '### Detection', '- nonsense', '```'].join(
      '\n',
    );
    expect(parseRunbooks(page(format, '', nodeLost)).map((r) => r.id)).toEqual(['node-lost']);
  });

  it.each([
    ['an unknown kind', '- metrik: `up`', /unknown kind "metrik"/],
    ['a line that is not an item', 'see the dashboard', /must read/],
    ['a value without backticks', '- metric: up', /must read/],
    ['an endpoint without a method', '- endpoint: `/admin/gpu/nodes`', /METHOD \/path/],
    ['an endpoint with a query', '- endpoint: `GET /admin/audit?action=x`', /METHOD \/path/],
    ['a malformed selector', '- metric: `up{state=lost}`', /label matchers/],
    ['a metric name with a dash', '- metric: `node-lost`', /not a metric name/],
    ['an alert with spaces', '- alert: `Node lost`', /not an alert name/],
  ])('refuses %s, naming the line', (_what, item, reason) => {
    const text = page('<a id="x"></a>', '## X', '', '### Detection', '', item);
    expect(() => parseRunbooks(text)).toThrow(reason);
    expect(() => parseRunbooks(text)).toThrow(/line 8/);
  });

  it('refuses a runbook without an anchor, a duplicate anchor, an empty list and two lists', () => {
    const body = ['## X', '### Detection', '- alert: `A`'].join('\n');
    expect(() => parseRunbooks(page(body))).toThrow(/needs an <a id/);
    const twice = page('<a id="x"></a>', body, '<a id="x"></a>', body);
    expect(() => parseRunbooks(twice)).toThrow(/"x" is used twice/);
    expect(() => parseRunbooks(page('<a id="x"></a>', '## X', '### Detection', '', '## Y'))).toThrow(
      /empty Detection list/,
    );
    expect(() => parseRunbooks(page('<a id="x"></a>', body, '### Detection'))).toThrow(/two Detection lists/);
  });

  it('does not take an anchor separated from the heading by text', () => {
    const text = page('<a id="x"></a>', 'some text', '## X', '### Detection', '- alert: `A`');
    expect(() => parseRunbooks(text)).toThrow(RunbookFormatError);
  });

  it('refuses an unclosed code fence', () => {
    expect(() => parseRunbooks(page('```', '## X'))).toThrow(/never closed/);
  });
});

describe('parseSelector', () => {
  it('reads several matchers of every operator, with escaped quotes', () => {
    expect(parseSelector('m{a="1", b!="2",c=~"x|y",d!~"\\"q\\""}').matchers).toEqual([
      { label: 'a', op: '=', value: '1' },
      { label: 'b', op: '!=', value: '2' },
      { label: 'c', op: '=~', value: 'x|y' },
      { label: 'd', op: '!~', value: '\\"q\\"' },
    ]);
  });
});

describe('docs/runbooks.md', () => {
  const runbooks = parseRunbooks(
    readFileSync(new URL('../../../../docs/runbooks.md', import.meta.url), 'utf8'),
  );

  it('has every runbook operators need, each with something to detect it by', () => {
    expect(runbooks.map((r) => r.id)).toEqual(
      expect.arrayContaining([
        'gpu-oom',
        'device-unavailable',
        'node-lost',
        'tenant-quota-exhausted',
        'kernel-rejected',
        'redis-down',
        'postgres-down',
        'audit-chain-broken',
      ]),
    );
    for (const r of runbooks) expect(r.metrics.length + r.endpoints.length).toBeGreaterThan(0);
  });

  it('names the service of every log line it points at', () => {
    for (const r of runbooks)
      for (const log of r.logs) expect([r.id, log.service]).toEqual([r.id, expect.any(String)]);
  });
});
