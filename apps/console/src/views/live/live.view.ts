import type { Rig, Stream } from '../../api/types.js';
import type { View, ViewContext } from '../../app/context.js';
import { h, mount } from '../../app/dom.js';
import { errorPanel } from '../../app/errors.js';
import { formatStreamTime, formatVec3, speedOf } from '../../core/format.js';
import { cursorFraction, timeAtFraction } from '../../core/timeline.js';
import { framesFromHistory, type HistoryPoint } from '../../core/track-frame.js';
import { badge } from '../table.js';
import { LiveScene, type HoverInfo } from './live-scene.js';
import { connectFeed, type TrackUpdateEvent } from './track-feed.js';
import { installViewHandle } from './view-handle.js';

/** Seconds of history loaded when the view opens, before live frames take over. */
const HISTORY_SECONDS = 60;

/**
 * A stream in 3D: grid bounds, camera frusta, tracks with trails and ids (hover: confidence
 * and velocity; double-click or the list: follow), play/pause, and a timeline to scrub the
 * frames seen so far plus the last minute of history.
 */
export const liveView: View = {
  title: 'Live stream',
  mount(outlet, context, params) {
    const streamId = params['id'] ?? '';
    let dispose: () => void = () => {};
    let cancelled = false;
    mount(outlet, h('p', { class: 'muted' }, 'Loading stream…'));
    load(context, streamId).then(
      ({ stream, rig }) => {
        if (!cancelled) dispose = open(outlet, context, stream, rig);
      },
      (error: unknown) => {
        if (!cancelled) mount(outlet, errorPanel(error, `stream ${streamId}`));
      },
    );
    return () => {
      cancelled = true;
      dispose();
    };
  },
};

async function load({ tracker }: ViewContext, id: string): Promise<{ stream: Stream; rig: Rig }> {
  const stream = await tracker.get<Stream>(`/v1/streams/${encodeURIComponent(id)}`);
  const rig = await tracker.get<Rig>(`/v1/rigs/${stream.rigId}`);
  return { stream, rig };
}

function open(outlet: HTMLElement, context: ViewContext, stream: Stream, rig: Rig): () => void {
  const status = h('span', { class: 'muted', 'data-testid': 'live-status' }, 'connecting…');
  const stats = h('span', { class: 'muted', 'data-testid': 'live-stats' });
  const stageBox = h('div', { class: 'stage' });
  const tooltip = h('div', { class: 'tooltip', hidden: true, 'data-testid': 'track-tooltip' });
  stageBox.append(tooltip);
  const playButton = h('button', { type: 'button', 'data-testid': 'play-pause' }, 'Pause');
  const liveButton = h('button', { type: 'button', 'data-testid': 'go-live' }, 'Live');
  const slider = h('input', {
    type: 'range',
    min: 0,
    max: 1000,
    value: 1000,
    'data-testid': 'timeline',
    'aria-label': 'timeline',
  });
  const timeLabel = h('span', { class: 'time', 'data-testid': 'timeline-time' }, '—');
  const followSelect = h('select', { 'data-testid': 'follow' }, h('option', { value: '' }, 'follow: none'));
  mount(
    outlet,
    h('h1', {}, `${stream.name} `, badge(stream.state), ' ', status),
    h(
      'p',
      {},
      `${rig.name}: ${rig.cameras.length} cameras · grid ${stream.grid.dims.join('×')} at ${stream.grid.voxelSize} m · `,
      stats,
    ),
    stageBox,
    h('div', { class: 'controls' }, playButton, liveButton, slider, timeLabel, followSelect),
    h(
      'p',
      { class: 'muted' },
      'Drag to orbit, scroll to zoom, hover a track for its confidence and velocity, double-click it to follow.',
    ),
  );

  const scene = new LiveScene(stageBox, stream.grid, rig.cameras);
  let updates = 0;
  let scrubbing = false;
  let lastUi = 0;
  let lastUpdate: TrackUpdateEvent | null = null;

  scene.onHover = (info: HoverInfo | null) => showTooltip(tooltip, info);
  scene.onPaint = () => {
    const now = performance.now();
    if (now - lastUi < 100) return;
    lastUi = now;
    const snapshot = scene.timeline;
    playButton.textContent = snapshot.mode === 'live' || snapshot.mode === 'playing' ? 'Pause' : 'Play';
    liveButton.disabled = snapshot.mode === 'live';
    if (!scrubbing) slider.value = String(Math.round(cursorFraction(snapshot) * 1000));
    timeLabel.textContent = `${snapshot.mode} · ${formatStreamTime(snapshot.cursor)} of ${formatStreamTime(snapshot.start)}–${formatStreamTime(snapshot.end)}`;
    const ids = scene.layer.shownIds();
    syncFollowOptions(followSelect, ids, scene.followed);
    if (lastUpdate) {
      const latency = Date.now() - lastUpdate.detectedAt;
      stats.textContent = `${ids.length} tracks drawn · ${updates} updates received · last detection→client ${latency} ms`;
    }
  };

  playButton.addEventListener('click', () => {
    if (scene.timeline.mode === 'paused') scene.play();
    else scene.pause();
  });
  liveButton.addEventListener('click', () => scene.goLive());
  slider.addEventListener('input', () => {
    scrubbing = true;
    const t = timeAtFraction(scene.timeline, Number(slider.value) / 1000);
    if (t !== null) scene.scrub(t);
  });
  slider.addEventListener('change', () => {
    scrubbing = false;
  });
  followSelect.addEventListener('change', () => {
    scene.follow(followSelect.value === '' ? null : Number(followSelect.value));
  });

  const stopFeed = connectFeed(context.config.trackerUrl, context.apiKey() ?? '', stream.id, {
    update(event) {
      updates += 1;
      lastUpdate = event;
      scene.ingest({ t: event.t, tracks: event.tracks });
    },
    status(event) {
      status.textContent = event.gap
        ? `${event.state}; ${event.gap.frames} frame-sets lost (${event.gap.reason})`
        : event.state;
    },
    progress(event) {
      status.textContent = `replay ${event.state} ${event.percent} %`;
    },
    connection(state, detail) {
      status.textContent = detail ? `${state}: ${detail}` : state;
      status.dataset['state'] = state;
    },
  });
  void loadHistory(context, stream, scene);
  const removeHandle = installViewHandle(stream.id, scene, () => updates);

  return () => {
    removeHandle();
    stopFeed();
    scene.dispose();
  };
}

/** The last minute before the stream's latest frame, so the timeline has a past to scrub. */
async function loadHistory({ tracker }: ViewContext, stream: Stream, scene: LiveScene): Promise<void> {
  const lastT = stream.live?.lastT ?? null;
  try {
    const { tracks } = await tracker.get<{ tracks: HistoryPoint[] }>(`/v1/streams/${stream.id}/tracks`, {
      from: lastT === null ? undefined : Math.max(0, lastT - HISTORY_SECONDS),
      limit: 50_000,
    });
    for (const frame of framesFromHistory(tracks)) scene.ingest(frame);
  } catch {
    // History is a convenience; the live feed works without it.
  }
}

function showTooltip(tooltip: HTMLElement, info: HoverInfo | null): void {
  if (!info) {
    tooltip.hidden = true;
    return;
  }
  const { sample } = info;
  mount(
    tooltip,
    h('strong', {}, `track #${sample.trackId}`),
    h('div', {}, `confidence ${sample.confidence.toFixed(3)} · ${sample.state}`),
    h('div', {}, `velocity ${formatVec3(sample.velocity)} m/s (|v| ${speedOf(sample.velocity).toFixed(2)})`),
    h('div', {}, `position ${formatVec3(sample.position)} m`),
  );
  tooltip.style.left = `${info.x + 12}px`;
  tooltip.style.top = `${info.y + 12}px`;
  tooltip.hidden = false;
}

function syncFollowOptions(select: HTMLSelectElement, ids: number[], followed: number | null): void {
  const wanted = [...new Set(followed === null ? ids : [...ids, followed])].sort((a, b) => a - b);
  const current = [...select.options].slice(1).map((option) => Number(option.value));
  if (wanted.length !== current.length || wanted.some((id, i) => id !== current[i])) {
    select.replaceChildren(
      h('option', { value: '' }, 'follow: none'),
      ...wanted.map((id) => h('option', { value: id }, `follow #${id}`)),
    );
  }
  select.value = followed === null ? '' : String(followed);
}
