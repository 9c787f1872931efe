import { call } from './http-client.js';

/**
 * A 512×64 by 64×512 matmul: tens of milliseconds on a shared core, so a fault can find jobs
 * running, while the load stays well under what three CPU nodes on two cores finish (a
 * backlog would make every fault look slow to recover).
 */
function matmulInputs(): Record<string, unknown> {
  const m = 512;
  const n = 512;
  const k = 64;
  const buffer = (length: number) => ({
    base64: Buffer.from(new Float32Array(length).fill(1).buffer).toString('base64'),
    dtype: 'f32',
  });
  return { a: buffer(m * k), b: buffer(k * n), m, n, k };
}

const MATMUL = matmulInputs();

export interface SubmitError {
  atMs: number;
  status: number;
  detail: string;
}

/**
 * A steady stream of job submissions through the gateway's REST API, spread over the
 * tenants: small saxpy jobs and, every fourth, a matmul that keeps a CPU slot busy. It keeps
 * the id of every job the gateway accepted (201); the database must finish each of them.
 */
export class JobLoad {
  readonly accepted = new Map<string, number>();
  readonly errors: SubmitError[] = [];
  readonly latenciesMs: number[] = [];
  private timer?: NodeJS.Timeout;
  private inFlight = 0;
  private seq = 0;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly gatewayUrl: string,
    private readonly keys: readonly string[],
    private readonly perSecond: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), 1000 / this.perSecond);
  }

  /**
   * Submits one job now and resolves with its id once accepted (undefined when refused).
   * Recovery probes go in as `high`, so they measure the pipeline, not the queue ahead.
   */
  async submitOne(priority: 'normal' | 'high' = 'normal'): Promise<string | undefined> {
    this.seq += 1;
    const key = this.keys[this.seq % this.keys.length] as string;
    const body =
      this.seq % 4 === 0
        ? { kernel: 'matmul.f32', inputs: MATMUL, priority, cpuFallbackAllowed: true }
        : {
            kernel: 'saxpy',
            inputs: { a: this.seq, x: [1, 2, 3], y: [0, 0, 0] },
            priority,
            cpuFallbackAllowed: true,
          };
    const result = await call('POST', `${this.gatewayUrl}/v1/jobs`, { key, body, timeoutMs: 15_000 });
    if (result.status === 201) {
      const id = (result.body as { id: string }).id;
      this.accepted.set(id, Date.now());
      this.latenciesMs.push(result.ms);
      return id;
    }
    this.errors.push({
      atMs: Date.now(),
      status: result.status,
      detail: result.error ?? result.text.slice(0, 200),
    });
    return undefined;
  }

  private tick(): void {
    // A stalled gateway must not pile up thousands of open requests in the client.
    if (this.inFlight >= 32) return;
    this.inFlight += 1;
    const pending = this.submitOne().then(() => {
      this.inFlight -= 1;
      this.pending.delete(pending);
    });
    this.pending.add(pending);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all([...this.pending]);
  }
}
