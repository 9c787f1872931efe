import { cpus, hostname, totalmem } from 'node:os';
import { commonSchema, port, positiveInt, transportSchema } from '@voxelfleet/config';
import { DEFAULT_PORTS } from '@voxelfleet/contracts';
import { z } from 'zod';
import { parseBudgets } from './agent/fallback-budget.js';

const nonNegativeInt = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

export const gpuNodeConfigSchema = z.object({
  PORT: port(DEFAULT_PORTS['gpu-node']),
  ...commonSchema,
  ...transportSchema,
  NODE_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits, dots, dashes or underscores')
    .default(
      hostname()
        .replace(/[^A-Za-z0-9._-]/g, '-')
        .slice(0, 64),
    ),
  HEARTBEAT_INTERVAL_MS: positiveInt(1_000),
  /** Ceiling of the adaptive concurrency limit (jobs running at once on the node). */
  MAX_CONCURRENT_JOBS: positiveInt(8),
  MIN_CONCURRENT_JOBS: positiveInt(1),
  /** How often the concurrency limit is reconsidered. */
  CONCURRENCY_INTERVAL_MS: positiveInt(1_000),
  /** CPU worker threads for CPU-path jobs (advertised as cpu.slots). */
  CPU_SLOTS: positiveInt(Math.max(1, cpus().length)),
  /** Longest CPU run of a fallback job when its kernel has no budget of its own. */
  FALLBACK_BUDGET_DEFAULT_MS: positiveInt(5_000),
  /** Per-kernel CPU fallback budgets: `matmul.f32=2000,voxel.evidence=500`. */
  FALLBACK_BUDGETS_MS: z
    .string()
    .default('')
    .superRefine((value, ctx) => {
      try {
        parseBudgets(value);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: (e as Error).message });
      }
    })
    .transform((value) => parseBudgets(value)),
  /** Largest decoded input buffer, and largest result carried inline in a report. */
  MAX_INPUT_BYTES: positiveInt(64 * 2 ** 20),
  MAX_OUTPUT_BYTES: positiveInt(4 * 2 ** 20),
  /** Micro-batching of tiny CPU jobs of one tenant; a window of 0 turns it off. */
  BATCH_WINDOW_MS: nonNegativeInt(2),
  BATCH_MAX_JOBS: positiveInt(16),
  TINY_JOB_BYTES: positiveInt(64 * 2 ** 10),
  /** Host memory the CPU path accounts to tenants (reservations and working sets). */
  HOST_POOL_BYTES: positiveInt(Math.floor(totalmem() / 2)),
  /** Each tenant's share of a pool (device VRAM or host), 0..1. */
  TENANT_POOL_SHARE: z.coerce.number().gt(0, 'must be in (0, 1]').max(1, 'must be in (0, 1]').default(1),
  /** Time limit of one operation inside the CUDA addon. */
  DEVICE_OP_TIMEOUT_MS: positiveInt(30_000),
  /** Reports made within this many ms travel as one message; 0 sends each on its own. */
  REPORT_COALESCE_MS: nonNegativeInt(2),
});
export type GpuNodeConfig = z.infer<typeof gpuNodeConfigSchema>;

/** How the agent works; every field but the identity has a default (see agentTuning). */
export interface AgentTuning {
  maxConcurrentJobs: number;
  minConcurrentJobs: number;
  concurrencyIntervalMs: number;
  cpuSlots: number;
  fallbackBudgetDefaultMs: number;
  fallbackBudgetsMs: Record<string, number>;
  maxInputBytes: number;
  maxOutputBytes: number;
  batchWindowMs: number;
  batchMaxJobs: number;
  tinyJobBytes: number;
  hostPoolBytes: number;
  tenantPoolShare: number;
  deviceOpTimeoutMs: number;
  reportCoalesceMs: number;
}

export interface GpuNodeSettings extends Partial<AgentTuning> {
  nodeId: string;
  heartbeatIntervalMs: number;
}

/** The tuning from configuration (defaults where a variable is unset). */
export function agentTuning(config: Partial<GpuNodeConfig> = {}): AgentTuning {
  const d = gpuNodeConfigSchema.parse({});
  const c = { ...d, ...config };
  return {
    maxConcurrentJobs: c.MAX_CONCURRENT_JOBS,
    minConcurrentJobs: Math.min(c.MIN_CONCURRENT_JOBS, c.MAX_CONCURRENT_JOBS),
    concurrencyIntervalMs: c.CONCURRENCY_INTERVAL_MS,
    cpuSlots: c.CPU_SLOTS,
    fallbackBudgetDefaultMs: c.FALLBACK_BUDGET_DEFAULT_MS,
    fallbackBudgetsMs: c.FALLBACK_BUDGETS_MS,
    maxInputBytes: c.MAX_INPUT_BYTES,
    maxOutputBytes: c.MAX_OUTPUT_BYTES,
    batchWindowMs: c.BATCH_WINDOW_MS,
    batchMaxJobs: c.BATCH_WINDOW_MS > 0 ? c.BATCH_MAX_JOBS : 1,
    tinyJobBytes: c.TINY_JOB_BYTES,
    hostPoolBytes: c.HOST_POOL_BYTES,
    tenantPoolShare: c.TENANT_POOL_SHARE,
    deviceOpTimeoutMs: c.DEVICE_OP_TIMEOUT_MS,
    reportCoalesceMs: c.REPORT_COALESCE_MS,
  };
}
