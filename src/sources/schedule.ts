/**
 * Run a task now and then every `intervalMs` after it finishes (never two at
 * once); `stop()` resolves once the run in flight is over.
 */
export function every(intervalMs: number, task: () => Promise<unknown>): { stop(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let current: Promise<unknown> = Promise.resolve();

  const run = () => {
    current = task().finally(() => {
      if (!stopped) timer = setTimeout(run, intervalMs);
    });
  };
  run();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await current.catch(() => undefined);
    },
  };
}
