import type { PerformanceHistory } from '@voxelfleet/scheduling';
import type { DataSource } from 'typeorm';

const REFRESH_MS = 5_000;

interface HistoryRow {
  node_id: string;
  samples: string;
  succeeded: string;
  speed: number | null;
}

/**
 * Each node's record over the last hour, for placement scoring: how many jobs finished
 * there, the share that succeeded, and how fast they ran against their estimates. Read from
 * the jobs table every few seconds; placement only needs the trend.
 */
export class NodeHistory {
  private history = new Map<string, PerformanceHistory>();
  private loadedAtMs = 0;
  private loaded = false;
  private reading?: Promise<void>;

  constructor(private readonly db: DataSource) {}

  /**
   * Reads the history again when it is older than REFRESH_MS. Only the first read is waited
   * for; later ones run while passes go on with the previous figures, so no pass waits on an
   * aggregate over the last hour of jobs.
   */
  async refresh(nowMs: number): Promise<void> {
    if (nowMs - this.loadedAtMs >= REFRESH_MS && !this.reading) {
      this.loadedAtMs = nowMs;
      const read = this.read(nowMs).finally(() => (this.reading = undefined));
      read.catch(() => (this.loadedAtMs = 0));
      this.reading = read;
    }
    if (!this.loaded) await this.reading;
  }

  private async read(nowMs: number): Promise<void> {
    const rows: HistoryRow[] = await this.db.query(
      `SELECT node_id, count(*) AS samples, count(*) FILTER (WHERE state = 'succeeded') AS succeeded,
              avg(estimated_duration_ms / greatest(1, extract(epoch FROM finished_at - started_at) * 1000))
                FILTER (WHERE state = 'succeeded' AND estimated_duration_ms > 0 AND started_at IS NOT NULL)::float8 AS speed
         FROM jobs
        WHERE finished_at > $1 AND node_id IS NOT NULL AND state IN ('succeeded', 'failed')
        GROUP BY node_id`,
      [new Date(nowMs - 3_600_000)],
    );
    this.history = new Map(
      rows.map((row) => [
        row.node_id,
        {
          samples: Number(row.samples),
          successRate: Number(row.succeeded) / Math.max(1, Number(row.samples)),
          speedFactor: row.speed ?? 1,
        },
      ]),
    );
    this.loaded = true;
  }

  of(nodeId: string): PerformanceHistory | undefined {
    return this.history.get(nodeId);
  }
}
