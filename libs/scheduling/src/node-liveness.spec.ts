import { describe, expect, it } from '@jest/globals';
import {
  detectNodeTransitions,
  requeueJobsOfLostNodes,
  resolveNodeState,
  STALL_FACTOR,
} from './node-liveness.js';
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

describe('liveness measured against the latest heartbeat of the fleet', () => {
  const view = (nodeId: string, lastHeartbeatMs: number) => ({
    nodeId,
    adminState: 'ready' as const,
    lastHeartbeatMs,
    recordedState: 'ready' as const,
  });

  it('declares no node lost when the receiver stalled and every heartbeat is late at once', () => {
    // Nothing read for 3 s (a stalled event loop): by the clock both nodes are silent past 2 s.
    const nodes = [view('a', 10_000), view('b', 10_100)];
    expect(detectNodeTransitions(nodes, 13_200, 2_000, 10_100)).toEqual([]);
  });

  it('declares a node lost that is silent while the others keep beating', () => {
    const nodes = [view('a', 10_000), view('b', 12_900)];
    expect(detectNodeTransitions(nodes, 13_000, 2_000, 12_900).map((t) => [t.nodeId, t.to])).toEqual([
      ['a', 'lost'],
    ]);
  });

  it('declares a fleet gone silent altogether lost after STALL_FACTOR times the timeout', () => {
    const nodes = [view('a', 10_000)];
    expect(detectNodeTransitions(nodes, 10_000 + STALL_FACTOR * 2_000 - 1, 2_000, 10_000)).toEqual([]);
    expect(detectNodeTransitions(nodes, 10_000 + STALL_FACTOR * 2_000 + 1, 2_000, 10_000)).toHaveLength(1);
  });

  it('declares no node lost while more than a tenth of the fleet is silent at once, until 4x the timeout', () => {
    // 3 of 20 nodes silent while the rest beat: a relay or the network, not three deaths.
    const nodes = Array.from({ length: 20 }, (_, i) => view(`n${i}`, i < 3 ? 10_000 : 12_900));
    expect(detectNodeTransitions(nodes, 13_000, 2_000, 12_900)).toEqual([]);
    const later = nodes.map((n) => (n.lastHeartbeatMs === 12_900 ? { ...n, lastHeartbeatMs: 18_100 } : n));
    expect(detectNodeTransitions(later, 18_200, 2_000, 18_100).map((t) => t.nodeId)).toEqual([
      'n0',
      'n1',
      'n2',
    ]);
    // One silent node of twenty is lost at the timeout.
    const one = nodes.map((n, i) => (i > 0 && i < 3 ? { ...n, lastHeartbeatMs: 12_900 } : n));
    expect(detectNodeTransitions(one, 13_000, 2_000, 12_900).map((t) => t.nodeId)).toEqual(['n0']);
  });
});
