import type { Logger } from 'pino';

/**
 * On SIGTERM or SIGINT, runs `shutdown` once; if it has not finished within `graceMs`, exits
 * anyway so an orchestrator's kill deadline is never the thing that stops us.
 */
export function onTerminationSignal(logger: Logger, graceMs: number, shutdown: () => Promise<void>): void {
  let stopping = false;
  const handle = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, graceMs }, 'shutting down');
    const deadline = setTimeout(() => {
      logger.error({ graceMs }, 'shutdown did not finish in time; exiting');
      process.exit(1);
    }, graceMs);
    deadline.unref();
    shutdown().then(
      () => {
        logger.info('stopped');
        logger.flush();
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', handle);
  process.once('SIGINT', handle);
}
