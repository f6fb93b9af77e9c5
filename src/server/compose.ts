import { createHealthHandler, type HealthHandler } from '../slack/health.js';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AwsAccess } from '../aws/access.js';
import type { Secrets } from '../config/load.js';
import type { PicketConfig } from '../config/schema.js';
import { LogField, type Logger } from '../core/log.js';
import type { OfflineDeps } from '../enrich/offline.js';
import { readInput } from '../intake/reader.js';
import { createTriageContext, type TriageContext } from '../pipeline/triage.js';
import { startPipeline, type PipelineOptions } from '../queue/pipeline.js';
import { redisReady } from '../queue/redis.js';
import type { Runtime } from '../queue/runtime.js';
import { registerResponse, responseContext, withResponse, type ResponseDeps } from '../respond/index.js';
import { createSlackApp, type BoltApp } from '../slack/app.js';
import type { Delivery } from '../slack/delivery.js';
import { createIntakeHandler, type IntakeHandler } from '../slack/intake-route.js';
import { listenIntake } from '../sources/http-intake.js';
import { startHuntSide } from '../hunt/serve.js';
import { MAX_CONNECTIONS, SERVER_LIMITS } from '../sources/http-intake.js';
import { enrichDepsFor, remediationAccessFor, type ServeEnrichDeps } from './enrich-deps.js';
import { createEnrichStep } from './enrich-step.js';
import { createPermalinks } from './permalink.js';
import { startResponse, type ResponseSide } from './response.js';
import { requireServeSecrets, type FrontMode } from './secrets.js';
import { startSources } from './sources.js';

/**
 * The composition root of `picket serve`, shared with the end-to-end test:
 * intake → queue → triage (with live suppressions) → card → response
 * bookkeeping → enrichment, plus the Slack listeners and the actions worker.
 * Without a bot token it runs in local mode: intake, queue and cards to the
 * terminal, no response side.
 */

export interface ServeOptions {
  runtime: Runtime;
  config: PicketConfig;
  secrets: Secrets;
  log: Logger;
  /** Local mode writes cards here. */
  write: (line: string) => void;
  listen: { port: number; host: string };
  /** Where relative rule folders are found (default: the project root). */
  root?: string;
  /** Named in configuration errors found at start (unknown rule ids). */
  configFile?: string;
  outDir?: string;
  /** Seams for tests: the Slack stand-in, fixed intel, AWS access, env for third-party keys, loopback response URLs. */
  slackApiUrl?: string;
  offline?: OfflineDeps;
  aws?: AwsAccess;
  env?: NodeJS.ProcessEnv;
  responseUrlAllowed?: (url: string) => boolean;
  enrichDeadlineMs?: number;
}

export type Closer = () => Promise<void>;

export interface PicketServer {
  mode: FrontMode;
  /** The port the intake (and, in HTTP mode, Slack's requests) are served on. */
  port: number;
  /** In drain order: stop taking requests, stop the sources, finish the jobs in hand. */
  closers: Closer[];
  /** The response side's deps (Slack mode only), for reading its alerts and audit trail. */
  response?: ResponseDeps;
  close(): Promise<void>;
}

export async function startServer(o: ServeOptions): Promise<PicketServer> {
  const mode = requireServeSecrets(o.secrets);
  const context = await createTriageContext(o.config, o.root, o.configFile);
  const handler = intakeHandler(o);
  const closers: Closer[] = [];
  try {
    const started = mode === 'local' ? { port: await startLocal(o, context, handler, closers) } : await startSlack(o, mode, context, handler, closers);
    o.log.info('picket serving', { mode, intake: o.config.intake.path, port: started.port });
    return { mode, ...started, closers, close: () => closeAll(closers, o.log) };
  } catch (err) {
    await closeAll(closers, o.log);
    throw err;
  }
}

function healthFor(o: ServeOptions): HealthHandler {
  return createHealthHandler(() => redisReady(o.runtime.redis));
}

function intakeHandler(o: ServeOptions): IntakeHandler {
  const { runtime } = o;
  return createIntakeHandler({
    secret: o.secrets.intakeSecret, maxBodyBytes: o.config.intake.max_body_bytes, read: readInput, enqueuer: runtime.enqueuer,
    deadLetters: runtime.deadLetters, ready: () => redisReady(runtime.redis), log: o.log.child({ component: 'intake' }),
  });
}

async function startLocal(o: ServeOptions, context: TriageContext, handler: IntakeHandler, closers: Closer[]): Promise<number> {
  const intake = await listenIntake(handler, o.config.intake.path, o.listen, healthFor(o));
  closers.push(intake.close);
  closers.push(...startSources(o.runtime, o.config, o.log));
  const pipeline = await startPipeline({ ...pipelineBase(o, context), secrets: { slackBotToken: undefined } });
  closers.push(pipeline.close);
  return (intake.server.address() as AddressInfo).port;
}

/** Closers are pushed as each part starts, so a failure half-way still closes what did start. */
async function startSlack(o: ServeOptions, mode: FrontMode, context: TriageContext, handler: IntakeHandler, closers: Closer[]): Promise<{ port: number; response: ResponseDeps }> {
  const intake = { path: o.config.intake.path, handler };
  const app = createSlackApp({ secrets: o.secrets, log: o.log, intake, health: healthFor(o), slackApiUrl: o.slackApiUrl, port: o.listen.port });
  const { runtime, config } = o;
  const enrich = enrichDepsFor({ config, redis: runtime.redis, prefix: runtime.settings.prefix, log: o.log, offline: o.offline, aws: o.aws, env: o.env });
  const response = await startResponse({
    runtime, config, log: o.log, token: o.secrets.slackBotToken ?? '', slackApiUrl: o.slackApiUrl,
    aws: enrich.aws, remediation: o.aws ?? remediationAccessFor(config, o.log), enrich, rules: context.rules, responseUrlAllowed: o.responseUrlAllowed,
  });
  const live: TriageContext = { ...context, suppressedBy: (ruleId, signal) => response.matcher.suppressedBy({ id: ruleId }, signal) };
  registerResponse(app, response.deps);

  try {
    const hunts = startHuntSide(app, { redisUrl: runtime.settings.redisUrl, response: response.deps, aws: enrich.aws, geo: enrich.geo });
    closers.push(hunts.close);
    const port = await startApp(app, mode, o.listen);
    closers.push(() => app.stop().then(() => undefined));
    closers.push(...startSources(runtime, config, o.log));
    closers.push((await startPipeline(slackPipeline(o, live, app, enrich, response))).close);
    return { port, response: response.deps };
  } finally {
    // The actions worker goes last: jobs the findings worker adds while draining still run.
    closers.push(response.close);
  }
}

function slackPipeline(o: ServeOptions, context: TriageContext, app: BoltApp, enrich: ServeEnrichDeps, response: ResponseSide): PipelineOptions {
  const after = createEnrichStep({
    enrich,
    response: responseContext(response.deps),
    permalinks: createPermalinks(response.deps.slack, o.log),
    log: o.log.child({ component: 'enrich' }),
    deadlineMs: o.enrichDeadlineMs,
  });
  const wrapDelivery = (delivery: Delivery) => withResponse(delivery, response.deps);
  return { ...pipelineBase(o, context), secrets: o.secrets, client: app.client, wrapDelivery, after };
}

function pipelineBase(o: ServeOptions, context: TriageContext): Omit<PipelineOptions, 'secrets'> {
  const log = o.log.child({ component: 'worker' });
  return { runtime: o.runtime, config: o.config, context, log, write: o.write, outDir: o.outDir, slackApiUrl: o.slackApiUrl };
}

/** HTTP mode listens where asked (port 0 picks one); Socket Mode serves the intake on its installer port. */
async function startApp(app: BoltApp, mode: FrontMode, listen: { port: number; host: string }): Promise<number> {
  if (mode === 'socket') {
    await app.start();
    return listen.port;
  }
  const server = (await app.start({ port: listen.port, host: listen.host })) as Server;
  boundServer(server);
  return (server.address() as AddressInfo).port;
}

/** Bolt's own listener gets the intake's bounds on trickled requests and connections. */
function boundServer(server: Server): void {
  server.requestTimeout = SERVER_LIMITS.requestTimeout;
  server.headersTimeout = SERVER_LIMITS.headersTimeout;
  server.keepAliveTimeout = SERVER_LIMITS.keepAliveTimeout;
  server.maxConnections = MAX_CONNECTIONS;
}

async function closeAll(closers: Closer[], log: Logger): Promise<void> {
  for (const close of closers) await close().catch((err: unknown) => log.error('error while closing', { [LogField.error]: err }));
}
