import { App, LogLevel } from '@slack/bolt';
import type { Logger as BoltLogger } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import type { Secrets } from '../config/load.js';
import { ConfigError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { createVerifyingReceiver } from '../respond/verify.js';
import { HEALTH_PATH, type HealthHandler } from './health.js';
import type { IntakeHandler } from './intake-route.js';

type BoltApp = InstanceType<typeof App>;

/**
 * The Bolt app: HTTP receiver (Slack signs every request: the signing secret
 * is required, and timestamps from the future are refused too) unless
 * SLACK_APP_TOKEN asks for Socket Mode. Either way the HTTPS intake is a
 * custom route on the app's HTTP listener.
 */

export interface SlackAppOptions {
  secrets: Secrets;
  log: Logger;
  intake?: { path: string; handler: IntakeHandler };
  /** `GET /healthz`, served beside the intake. */
  health?: HealthHandler;
  /** Tests point the client at the Slack stand-in. */
  slackApiUrl?: string;
  /** Socket Mode: the port of the HTTP listener that serves the intake. */
  port?: number;
}

/** 429s come back to slack-sink.ts (which waits Retry-After) instead of being retried blind inside the client. */
export function slackClientOptions(slackApiUrl?: string): WebClientOptions {
  return { rejectRateLimitedCalls: true, retryConfig: { retries: 2, factor: 2, minTimeout: 500 }, ...(slackApiUrl ? { slackApiUrl } : {}) };
}

export function createSlackApp(options: SlackAppOptions): BoltApp {
  const { secrets } = options;
  if (!secrets.slackBotToken) throw new ConfigError('environment', 'SLACK_BOT_TOKEN', 'a bot token (xoxb-...) to run the Slack app');
  const customRoutes = [
    ...(options.intake ? [{ path: options.intake.path, method: 'POST', handler: options.intake.handler }] : []),
    ...(options.health ? [{ path: HEALTH_PATH, method: 'GET', handler: options.health }] : []),
  ];
  const logger = boltLogger(options.log);
  const common = { token: secrets.slackBotToken, logger, clientOptions: slackClientOptions(options.slackApiUrl) };
  if (secrets.slackAppToken) {
    return new App({ ...common, customRoutes, socketMode: true, appToken: secrets.slackAppToken, installerOptions: { port: options.port ?? 3000 } });
  }
  if (!secrets.slackSigningSecret) {
    throw new ConfigError('environment', 'SLACK_SIGNING_SECRET', 'the app signing secret (HTTP mode verifies every Slack request)');
  }
  const refused = options.log.child({ component: 'slack-verify' });
  const receiver = createVerifyingReceiver({
    signingSecret: secrets.slackSigningSecret,
    customRoutes,
    logger,
    onRefused: (reason, path) => refused.warn('refused a Slack request', { reason, path }),
  });
  return new App({ ...common, receiver });
}

/** Bolt logs through ours, so its lines are JSON like every other. */
export function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ component: 'bolt' });
  const text = (msg: unknown[]) => msg.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
  let level = LogLevel.INFO;
  return {
    debug: (...msg: unknown[]) => child.debug(text(msg)),
    info: (...msg: unknown[]) => child.info(text(msg)),
    warn: (...msg: unknown[]) => child.warn(text(msg)),
    error: (...msg: unknown[]) => child.error(text(msg)),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

export type { BoltApp };
