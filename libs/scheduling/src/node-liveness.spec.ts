import { describe, expect, it } from '@jest/globals';
import { detectNodeTransitions, requeueJobsOfLostNodes, resolveNodeState } from './node-liveness.js';
import { aRunningJob } from './testing/fixtures.js';

describe('node liveness', () => {
  it('marks a node lost after more than 5 s without a heartbeat', () => {
    expect(resolveNodeState('ready', 0, 5_000)).toBe('ready');
    expect(resolveNodeState('ready', 0, 5_001)).toBe('lost');
  });

  it('returns a node to what the operator set when heartbeats resume', () => {
    expect(resolveNodeState('cordoned', 9_000, 10_000)).toBe('cordoned');
  });

  it('reports only changes, with reasons, in node order', () => {
    const transitions = detectNodeTransitions(
      [
        { nodeId: 'b', adminState: 'ready', lastHeartbeatMs: 0, recordedState: 'ready' },
        { nodeId: 'a', adminState: 'draining', lastHeartbeatMs: 9_500, recordedState: 'lost' },
        { nodeId: 'c', adminState: 'ready', lastHeartbeatMs: 9_900, recordedState: 'ready' },
      ],
      10_000,
    );
    expect(transitions).toEqual([
      { nodeId: 'a', from: 'lost', to: 'draining', reason: 'heartbeat resumed 500 ms ago' },
      { nodeId: 'b', from: 'ready', to: 'lost', reason: 'no heartbeat for 10000 ms (limit 5000 ms)' },
    ]);
  });

  it('requeues every job of a lost node with its checkpoint, and nothing else', () => {
    const running = [
      aRunningJob({ jobId: 'x2', nodeId: 'lost-node' }),
      aRunningJob({ jobId: 'x1', nodeId: 'lost-node', lastCheckpointAtMs: 700 }),
      aRunningJob({ jobId: 'y', nodeId: 'healthy' }),
    ];
    expect(requeueJobsOfLostNodes({ running }, ['lost-node'])).toEqual([
      {
        jobId: 'x1',
        tenantId: 'tenant-b',
        fromNodeId: 'lost-node',
        resumeFromCheckpointAtMs: 700,
        reason: 'node lost-node lost',
      },
      {
        jobId: 'x2',
        tenantId: 'tenant-b',
        fromNodeId: 'lost-node',
        resumeFromCheckpointAtMs: null,
        reason: 'node lost-node lost',
      },
    ]);
  });
});
