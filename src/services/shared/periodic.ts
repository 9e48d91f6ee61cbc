/**
 * Runs `run` every `intervalMs` once started (the first run one interval after start); runs never overlap, and a
 * failed run is reported to `onError` and does not stop the next. Background jobs (the case scheduler, the webhook
 * worker) use it so that `stop()` can wait for a run in progress before the database is closed.
 */
export function periodic(run: () => Promise<unknown>, intervalMs: number, onError: (err: unknown) => void) {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  let started = false;

  function schedule(): void {
    if (!started) return;
    timer = setTimeout(() => {
      timer = null;
      running = run()
        .catch((err: unknown) => onError(err))
        .finally(() => {
          running = null;
          schedule();
        });
    }, intervalMs);
    timer.unref();
  }

  return {
    start(): void {
      if (started) return;
      started = true;
      schedule();
    },

    /** Stops the timer and waits for a run in progress. */
    async stop(): Promise<void> {
      started = false;
      if (timer) clearTimeout(timer);
      timer = null;
      if (running) await running;
    },
  };
}
