import { LOCAL_CONFIG_FILE, resolveConfig } from '../config/resolve.js';
import { errorMessage } from '../core/errors.js';
import { createLogger } from '../core/log.js';
import { readInput } from '../intake/reader.js';
import { openRuntime, redisHelp } from '../queue/runtime.js';
import { queueSettings } from '../queue/settings.js';
import { drainOnSignals } from '../queue/shutdown.js';
import { cachedClients, pollAll, pollTargets } from '../sources/guardduty-poller.js';
import { every } from '../sources/schedule.js';
import { flagString, parseArgs } from './args.js';
import type { Command } from './io.js';

/** `picket poll [--once] [--config FILE]`: pull GuardDuty findings for every tenant account and region. */
export const pollCommand: Command = async (args, io) => {
  const parsed = parseArgs(args, ['config'], ['once']);
  const log = createLogger({ base: { component: 'poller' } });
  let config;
  try {
    const resolved = resolveConfig(flagString(parsed, 'config'));
    if (resolved.file === LOCAL_CONFIG_FILE) {
      io.err('picket poll: polling calls AWS for the accounts in picket.yml; the bundled local configuration names made-up accounts. Create picket.yml (see picket.example.yml) or pass --config.');
      return 2;
    }
    config = resolved.config;
  } catch (err) {
    io.err(`picket poll: ${errorMessage(err)}`);
    return 2;
  }
  const targets = pollTargets(config);
  if (targets.length === 0) {
    io.err('picket poll: no tenant accounts in the configuration');
    return 2;
  }
  const settings = queueSettings();
  const runtime = await openRuntime({ settings, log }).catch(() => undefined);
  if (!runtime) {
    for (const line of redisHelp(settings.redisUrl)) io.err(line);
    return 1;
  }
  const deps = { redis: runtime.redis, prefix: settings.prefix, enqueuer: runtime.enqueuer, read: readInput, log, clientFor: cachedClients() };

  if (parsed.flags.has('once')) {
    for (const r of await pollAll(targets, deps)) io.out(`${r.target}: listed ${r.listed}, enqueued ${r.enqueued}, duplicate ${r.duplicate}, rejected ${r.rejected}`);
    await runtime.close();
    return 0;
  }
  const schedule = every(config.poller.interval_seconds * 1000, () => pollAll(targets, deps));
  await drainOnSignals([schedule.stop, runtime.close], log).done;
  return 0;
};
