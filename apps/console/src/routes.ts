import type { Route, View } from './app/context.js';
import { h, mount } from './app/dom.js';
import { href } from './app/router.js';
import { auditView } from './views/audit.view.js';
import { fleetView } from './views/fleet.view.js';
import { jobView } from './views/job.view.js';
import { jobsView } from './views/jobs.view.js';
import { liveView } from './views/live/live.view.js';
import { streamsView } from './views/streams.view.js';
import { workflowView } from './views/workflow.view.js';

const homeView: View = {
  title: 'Console',
  mount(outlet, { me }) {
    mount(
      outlet,
      h('h1', {}, `Welcome, ${me.name}`),
      h(
        'ul',
        { class: 'home' },
        h('li', {}, h('a', { href: href('/streams') }, 'Streams'), ': live 3D tracks with history'),
        h('li', {}, h('a', { href: href('/fleet') }, 'Fleet'), ': nodes, devices, queue and quotas'),
        h('li', {}, h('a', { href: href('/jobs') }, 'Jobs'), ': timelines, pending reasons, workflows'),
        h('li', {}, h('a', { href: href('/audit') }, 'Audit'), ': the log and its chain verification'),
      ),
    );
  },
};

/** Every page of the console; order matters only for the nav. */
export const ROUTES: Route[] = [
  { pattern: '/', view: homeView },
  { pattern: '/streams', view: streamsView, nav: 'Streams' },
  { pattern: '/streams/:id', view: liveView },
  { pattern: '/fleet', view: fleetView, nav: 'Fleet' },
  { pattern: '/jobs', view: jobsView, nav: 'Jobs' },
  { pattern: '/jobs/:id', view: jobView },
  { pattern: '/workflows/:id', view: workflowView },
  { pattern: '/audit', view: auditView, nav: 'Audit' },
];
