import { secretsFromEnv } from '../config/load.js';
import { resolveConfig } from '../config/resolve.js';
import type { PicketConfig } from '../config/schema.js';
import { errorMessage } from '../core/errors.js';
import { createLogger } from '../core/log.js';
import { openRuntime, redisHelp } from '../queue/runtime.js';
import { queueSettings } from '../queue/settings.js';
import { drainOnSignals } from '../queue/shutdown.js';
import { startServer } from '../server/compose.js';
import { requireServeSecrets } from '../server/secrets.js';
import { flagString, parseArgs } from './args.js';
import type { Command } from './io.js';

/**
 * `picket serve [--config FILE]`: the Slack app (HTTP, or Socket Mode with
 * SLACK_APP_TOKEN) with the HTTPS intake route, the findings and actions
 * workers, enrichment, and the poller and SQS consumer when configured.
 * Without SLACK_BOT_TOKEN it runs in local mode. Listens on HOST:PORT
 * (default 0.0.0.0:3000). Refuses to start without PICKET_INTAKE_SECRET, or
 * in HTTP mode without SLACK_SIGNING_SECRET. SIGTERM drains.
 */
export const serveCommand: Command = async (args, io) => {
  const log = createLogger({ base: { component: 'serve' } });
  const secrets = secretsFromEnv();
  const parsed = parseArgs(args, ['config']);
  let config: PicketConfig;
  let configFile: string;
  try {
    requireServeSecrets(secrets);
    ({ config, file: configFile } = resolveConfig(flagString(parsed, 'config')));
  } catch (err) {
    io.err(`picket serve: ${errorMessage(err)}`);
    return 2;
  }
  const settings = queueSettings();
  const runtime = await openRuntime({ settings, log }).catch(() => undefined);
  if (!runtime) {
    for (const line of redisHelp(settings.redisUrl)) io.err(line);
    return 1;
  }
  try {
    const listen = { port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? '0.0.0.0' };
    const server = await startServer({ runtime, config, configFile, secrets, log, write: io.out, listen });
    await drainOnSignals([...server.closers, runtime.close], log).done;
    return 0;
  } catch (err) {
    io.err(`picket serve: ${errorMessage(err)}`);
    await runtime.close();
    return 2;
  }
};
