import { Controller, Get, Inject } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import { READINESS_CHECKS, type ReadinessCheck } from './tokens.js';
import { ShutdownState } from './shutdown-state.js';

const CHECK_TIMEOUT_MS = 2_000;

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly shutdown: ShutdownState,
    @Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[],
  ) {}

  /** The process is up and its event loop turns; nothing external is consulted. */
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([() => this.indicators.check('process').up({ pid: process.pid })]);
  }

  /** Ready to take work: every dependency answers, and the app is not shutting down. */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () =>
        this.shutdown.draining
          ? this.indicators.check('lifecycle').down('shutting down')
          : this.indicators.check('lifecycle').up(),
      ...this.checks.map((dependency) => () => this.probe(dependency)),
    ]);
  }

  private async probe(dependency: ReadinessCheck): Promise<HealthIndicatorResult> {
    const session = this.indicators.check(dependency.name);
    const started = performance.now();
    try {
      await withTimeout(dependency.check(), CHECK_TIMEOUT_MS);
      return session.up({ responseTimeMs: Math.round(performance.now() - started) });
    } catch (error) {
      return session.down(error instanceof Error ? error.message : String(error));
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
