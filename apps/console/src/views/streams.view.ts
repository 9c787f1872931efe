import type { Stream } from '../api/types.js';
import type { View } from '../app/context.js';
import { h, mount } from '../app/dom.js';
import { errorPanel, poll } from '../app/errors.js';
import { href } from '../app/router.js';
import { formatStreamTime } from '../core/format.js';
import { badge, table } from './table.js';

/** The tenant's tracking streams (from the tracker); each opens the live 3D view. */
export const streamsView: View = {
  title: 'Streams',
  mount(outlet, { tracker }) {
    const list = h('section', {});
    mount(outlet, h('h1', {}, 'Tracking streams'), list);
    return poll(async () => {
      try {
        const { streams } = await tracker.get<{ streams: Stream[] }>('/v1/streams');
        mount(
          list,
          table(
            ['stream', 'state', 'tracks', 'fps', 'last t', 'replay'],
            streams.map((stream) => [
              h('a', { href: href(`/streams/${stream.id}`), 'data-testid': 'stream-link' }, stream.name),
              badge(stream.state),
              stream.live?.tracks ?? '—',
              stream.live?.fps ?? '—',
              formatStreamTime(stream.live?.lastT ?? null),
              stream.replay ? `${stream.replay.state} ${stream.replay.percent} %` : '—',
            ]),
            'streams-table',
            'No streams. Create one through the tracker API (POST /v1/streams).',
          ),
        );
      } catch (error) {
        mount(list, errorPanel(error, 'the streams'));
      }
    }, 3_000);
  },
};
