import { SQSClient } from '@aws-sdk/client-sqs';
import { secretsFromEnv, type Secrets } from '../config/load.js';
import { resolveConfig } from '../config/resolve.js';
import type { PicketConfig } from '../config/schema.js';
import { errorMessage } from '../core/errors.js';
import { createLogger, type Logger } from '../core/log.js';
import { readInput } from '../intake/reader.js';
import { startPipeline } from '../queue/pipeline.js';
import { redisReady } from '../queue/redis.js';
import { openRuntime, redisHelp, type Runtime } from '../queue/runtime.js';
import { queueSettings } from '../queue/settings.js';
import { drainOnSignals } from '../queue/shutdown.js';
import { createSlackApp } from '../slack/app.js';
import { createIntakeHandler, type IntakeHandler } from '../slack/intake-route.js';
import { cachedClients, pollAll, pollTargets } from '../sources/guardduty-poller.js';
import { listenIntake } from '../sources/http-intake.js';
import { every } from '../sources/schedule.js';
import { startSqsConsumer } from '../sources/sqs-consumer.js';
import { flagString, parseArgs } from './args.js';
import type { Command } from './io.js';

/**
 * `picket serve [--config FILE]`: the Slack app (HTTP, or Socket Mode with
 * SLACK_APP_TOKEN) with the HTTPS intake route, the worker, and the poller
 * and SQS consumer when configured. Without SLACK_BOT_TOKEN it runs in local
 * mode. Listens on HOST:PORT (default 0.0.0.0:3000). SIGTERM drains.
 */
export const serveCommand: Command = async (args, io) => {
  const log = createLogger({ base: { component: 'serve' } });
  const secrets = secretsFromEnv();
  let config: PicketConfig;
  try {
    config = resolveConfig(flagString(parseArgs(args, ['config']), 'config')).config;
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
    const closers = await startAll(runtime, config, secrets, log, io.out);
    await drainOnSignals([...closers, runtime.close], log).done;
    return 0;
  } catch (err) {
    io.err(`picket serve: ${errorMessage(err)}`);
    await runtime.close();
    return 2;
  }
};

type Closer = () => Promise<void>;

async function startAll(runtime: Runtime, config: PicketConfig, secrets: Secrets, log: Logger, write: (line: string) => void): Promise<Closer[]> {
  const handler = createIntakeHandler({
    secret: secrets.intakeSecret, maxBodyBytes: config.intake.max_body_bytes, read: readInput, enqueuer: runtime.enqueuer,
    deadLetters: runtime.deadLetters, ready: () => redisReady(runtime.redis), log: log.child({ component: 'intake' }),
  });
  const listen = { port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? '0.0.0.0' };
  const front = await startFront(handler, config, secrets, listen, log);
  const pipeline = await startPipeline({ runtime, config, secrets, log: log.child({ component: 'worker' }), write, client: front.client });

  const closers: Closer[] = [front.close];
  if (config.poller.enabled) {
    const deps = { redis: runtime.redis, prefix: runtime.settings.prefix, enqueuer: runtime.enqueuer, read: readInput, log: log.child({ component: 'poller' }), clientFor: cachedClients() };
    const targets = pollTargets(config);
    closers.push(every(config.poller.interval_seconds * 1000, () => pollAll(targets, deps)).stop);
  }
  if (config.sqs) {
    const client = new SQSClient({ region: config.sqs.region });
    const consumer = startSqsConsumer({ client, queueUrl: config.sqs.queue_url, waitSeconds: config.sqs.wait_seconds, enqueuer: runtime.enqueuer, read: readInput, log: log.child({ component: 'sqs' }) });
    closers.push(consumer.stop);
  }
  closers.push(pipeline.close);
  log.info('picket serving', { mode: pipeline.mode, intake: config.intake.path, port: listen.port });
  return closers;
}

interface Front {
  client?: ReturnType<typeof createSlackApp>['client'];
  close: Closer;
}

/** Bolt when there is a bot token (the intake is a custom route on it); a plain listener in local mode. */
async function startFront(handler: IntakeHandler, config: PicketConfig, secrets: Secrets, listen: { port: number; host: string }, log: Logger): Promise<Front> {
  if (!secrets.slackBotToken) {
    const server = await listenIntake(handler, config.intake.path, listen);
    return { close: server.close };
  }
  const app = createSlackApp({ secrets, log, intake: { path: config.intake.path, handler }, port: listen.port });
  if (secrets.slackAppToken) await app.start();
  else await app.start({ port: listen.port, host: listen.host });
  return { client: app.client, close: () => app.stop().then(() => undefined) };
}
