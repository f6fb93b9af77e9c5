import type { Logger } from '../core/log.js';

/**
 * SIGTERM (and SIGINT) drain: stop taking work, let the active jobs finish,
 * then close connections, in the order given. A second signal does not cut
 * the drain short; the orchestrator's kill timeout is the backstop.
 */

export interface Shutdown {
  /** Resolves once every closer ran, after a signal or `run()`. */
  done: Promise<void>;
  run(reason: string): Promise<void>;
  dispose(): void;
}

type Emitter = Pick<NodeJS.Process, 'once' | 'off'>;

export function drainOnSignals(closers: Array<() => Promise<void>>, log: Logger, proc: Emitter = process): Shutdown {
  let started: Promise<void> | undefined;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });

  const run = (reason: string) => {
    started ??= (async () => {
      log.info('draining: finishing active jobs before exit', { reason });
      for (const close of closers) {
        await close().catch((err: unknown) => log.error('error while draining', { error: err }));
      }
      log.info('drained');
      finish();
    })();
    return started;
  };
  const onSignal = (signal: NodeJS.Signals) => void run(signal);
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];
  for (const signal of signals) proc.once(signal, onSignal);

  return { done, run, dispose: () => signals.forEach((signal) => proc.off(signal, onSignal)) };
}
