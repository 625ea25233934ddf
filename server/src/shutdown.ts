/**
 * Graceful shutdown on SIGINT/SIGTERM: stop accepting connections, let in-flight requests finish,
 * close the database, exit 0. A second signal, or in-flight work outlasting the grace period,
 * exits at once with a non-zero code (SQLite's WAL and PostgreSQL's transactions keep the data
 * consistent either way; clients re-push whatever was not acknowledged).
 */
export interface ShutdownLog {
  info(msg: string): void;
  error(obj: object, msg: string): void;
}

export function installShutdownHandlers(close: () => Promise<void>, log: ShutdownLog, graceMs = 10_000): void {
  let isShuttingDown = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (isShuttingDown) {
      log.info(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    isShuttingDown = true;
    log.info(`${signal} received: finishing in-flight requests, then exiting`);
    const timer = setTimeout(() => {
      log.error({ graceMs }, 'shutdown took too long: exiting anyway');
      process.exit(1);
    }, graceMs);
    timer.unref();
    close().then(
      () => {
        clearTimeout(timer);
        process.exit(0);
      },
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
