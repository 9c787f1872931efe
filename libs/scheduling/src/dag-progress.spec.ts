import { describe, expect, it } from '@jest/globals';
import { advanceWorkflow } from './dag-progress.js';
import { node, workflow } from './testing/workflows.js';

describe('advanceWorkflow', () => {
  const diamond = workflow(
    node('root'),
    node('left', ['root']),
    node('right', ['root']),
    node('join', ['left', 'right']),
  );

  it('releases roots, then children once every parent has succeeded', () => {
    expect(advanceWorkflow(diamond, {}).ready).toEqual(['root']);
    expect(advanceWorkflow(diamond, { root: 'succeeded' }).ready).toEqual(['left', 'right']);
    expect(
      advanceWorkflow(diamond, { root: 'succeeded', left: 'succeeded', right: 'running' }).ready,
    ).toEqual([]);
    expect(
      advanceWorkflow(diamond, { root: 'succeeded', left: 'succeeded', right: 'succeeded' }).ready,
    ).toEqual(['join']);
  });

  it('reports success once every job has finished', () => {
    const done = advanceWorkflow(diamond, {
      root: 'succeeded',
      left: 'succeeded',
      right: 'succeeded',
      join: 'succeeded',
    });
    expect(done.status).toBe('succeeded');
  });

  it('fails the workflow and cancels what has not started on a fail-workflow edge', () => {
    const progress = advanceWorkflow(diamond, { root: 'succeeded', left: 'failed', right: 'running' });
    expect(progress).toMatchObject({ status: 'failed', ready: [], cancel: ['join'] });
    expect(progress.reason).toBe('left failed and join depends on it with fail-workflow');
  });

  it('skips dependents transitively on a skip-dependents edge, and the workflow still succeeds', () => {
    const spec = workflow(
      node('extract'),
      node('enrich', [['extract', 'skip-dependents']]),
      node('publish', ['enrich']),
      node('audit'),
    );
    const progress = advanceWorkflow(spec, { extract: 'failed', audit: 'succeeded' });
    expect(progress.skip).toEqual(['enrich', 'publish']);
    expect(progress.status).toBe('succeeded');
  });

  it('lets a continue edge run the child after a failed or skipped parent', () => {
    const spec = workflow(
      node('a'),
      node('b', [['a', 'skip-dependents']]),
      node('cleanup', [
        ['a', 'continue'],
        ['b', 'continue'],
      ]),
    );
    const progress = advanceWorkflow(spec, { a: 'failed' });
    expect(progress.skip).toEqual(['b']);
    expect(progress.ready).toEqual(['cleanup']);
    expect(progress.status).toBe('running');
  });

  it('fails the workflow when a job with no dependents fails', () => {
    expect(advanceWorkflow(workflow(node('only')), { only: 'failed' }).status).toBe('failed');
  });

  it('cancels the dependents of a cancelled job', () => {
    const spec = workflow(node('a'), node('b', [['a', 'continue']]));
    expect(advanceWorkflow(spec, { a: 'cancelled' }).cancel).toEqual(['b']);
  });
});
