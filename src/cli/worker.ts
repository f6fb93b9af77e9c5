import { resolveConfig } from '../config/resolve.js';
import { secretsFromEnv } from '../config/load.js';
import { errorMessage } from '../core/errors.js';
import { createLogger } from '../core/log.js';
import { startPipeline } from '../queue/pipeline.js';
import { openRuntime, redisHelp } from '../queue/runtime.js';
import { queueSettings } from '../queue/settings.js';
import { drainOnSignals } from '../queue/shutdown.js';
import { flagString, parseArgs } from './args.js';
import type { Command } from './io.js';

/** `picket worker [--config FILE]`: process queued jobs until SIGTERM, then drain. */
export const workerCommand: Command = async (args, io) => {
  const log = createLogger({ base: { component: 'worker' } });
  const settings = queueSettings();
  let config;
  try {
    config = resolveConfig(flagString(parseArgs(args, ['config']), 'config')).config;
  } catch (err) {
    io.err(`picket worker: ${errorMessage(err)}`);
    return 2;
  }
  const runtime = await openRuntime({ settings, log }).catch(() => undefined);
  if (!runtime) {
    for (const line of redisHelp(settings.redisUrl)) io.err(line);
    return 1;
  }
  const pipeline = await startPipeline({ runtime, config, secrets: secretsFromEnv(), log, write: io.out });
  const shutdown = drainOnSignals([pipeline.close, runtime.close], log);
  await shutdown.done;
  return 0;
};
