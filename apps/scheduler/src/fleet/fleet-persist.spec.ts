import { describe, expect, it } from '@jest/globals';
import type { NodeHeartbeat } from '@voxelfleet/contracts';
import { InProcessTransport } from '@voxelfleet/transport';
import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { FleetRegistryService, FULL_ROW_EVERY_MS } from './fleet-registry.service.js';

/** Records each statement the registry sends, instead of a database. */
function recordingDb(): { db: DataSource; statements: { sql: string; params: unknown[] }[] } {
  const statements: { sql: string; params: unknown[] }[] = [];
  const query = (sql: string, params: unknown[] = []): Promise<unknown[]> => {
    statements.push({ sql, params });
    return Promise.resolve([]);
  };
  const db = { query, manager: { query } } as unknown as DataSource;
  return { db, statements };
}

function beat(nodeId: string, state: NodeHeartbeat['state'] = 'ready'): NodeHeartbeat {
  return {
    nodeId,
    hostname: 'h',
    sentAt: 0,
    state,
    cpu: { cores: 2, load1: 0, slots: { total: 4, free: 4 } },
    devices: [],
    runningJobs: 0,
  };
}

describe('FleetRegistryService.persist', () => {
  it('rewrites a node’s full row only when it changed, and otherwise only its heartbeat time', async () => {
    const { db, statements } = recordingDb();
    const fleet = new FleetRegistryService(
      new InProcessTransport(),
      { nodeLostAfterMs: 2_000 },
      db,
      new Registry(),
    );
    fleet.record(beat('a'), 1_000);
    fleet.record(beat('b'), 1_000);
    await fleet.persist(1_100);
    expect(statements).toHaveLength(1);
    expect(statements[0]?.sql).toMatch(/INSERT INTO nodes/);
    expect(statements[0]?.params[0]).toEqual(['a', 'b']);

    // New heartbeats with nothing else changed: the time alone, for the nodes that beat.
    statements.length = 0;
    fleet.record(beat('a'), 2_000);
    await fleet.persist(2_100);
    expect(statements).toHaveLength(1);
    expect(statements[0]?.sql).toMatch(/^UPDATE nodes SET last_heartbeat_at/);
    expect(statements[0]?.params[0]).toEqual(['a']);

    // A node that says it drains, and one that went silent, get their full rows.
    statements.length = 0;
    fleet.record(beat('a', 'draining'), 3_100);
    await fleet.persist(3_500);
    expect(statements[0]?.sql).toMatch(/INSERT INTO nodes/);
    expect(statements[0]?.params[0]).toEqual(['a', 'b']);
    expect(statements[0]?.params[2]).toEqual(['draining', 'lost']);

    // And every row again after FULL_ROW_EVERY_MS.
    statements.length = 0;
    fleet.record(beat('a', 'draining'), 3_600);
    fleet.record(beat('b'), 3_600);
    await fleet.persist(3_500 + FULL_ROW_EVERY_MS);
    expect(statements[0]?.sql).toMatch(/INSERT INTO nodes/);
  });

  it('records every heartbeat of a relay’s batch as if each had come alone', async () => {
    const { db } = recordingDb();
    const transport = new InProcessTransport();
    const fleet = new FleetRegistryService(transport, { nodeLostAfterMs: 2_000 }, db, new Registry());
    await fleet.onApplicationBootstrap();
    await transport.publish('node.heartbeats', { heartbeats: [beat('a'), beat('b'), beat('c', 'draining')] });
    await new Promise((r) => setTimeout(r, 20));
    expect(fleet.list().map((n) => [n.nodeId, n.state])).toEqual([
      ['a', 'ready'],
      ['b', 'ready'],
      ['c', 'draining'],
    ]);
    await fleet.onModuleDestroy();
    await transport.close();
  });
});
