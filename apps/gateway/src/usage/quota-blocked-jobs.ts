import type { QuotaName } from '@voxelfleet/scheduling';
import type { EntityManager } from 'typeorm';

export interface QuotaBlockedJobs {
  readonly tenant: string;
  readonly quota: QuotaName;
  readonly jobs: number;
}

/**
 * Queued jobs the scheduler left waiting on a tenant quota (its last verdict, kept in
 * `jobs.pending`), by tenant and quota. A job blocked by two quotas counts under both. The
 * state filter matches the partial index on queued jobs, so this reads only the queue.
 */
export async function loadQuotaBlockedJobs(manager: EntityManager): Promise<QuotaBlockedJobs[]> {
  const rows: { tenant: string; quota: QuotaName; jobs: number }[] = await manager.query(
    `SELECT j.tenant_id AS tenant, b->>'quota' AS quota, count(DISTINCT j.id)::int AS jobs
       FROM jobs j CROSS JOIN LATERAL jsonb_array_elements(
              CASE WHEN jsonb_typeof(j.pending->'blockers') = 'array' THEN j.pending->'blockers' ELSE '[]'::jsonb END
            ) AS b
      WHERE j.state IN ('submitted', 'admitted', 'requeued') AND b->>'kind' = 'quota'
      GROUP BY 1, 2`,
  );
  return rows;
}
