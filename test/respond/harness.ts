import { IAMClient } from '@aws-sdk/client-iam';
import { WebClient } from '@slack/web-api';
import { App } from '@slack/bolt';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { buildCard } from '../../blocks/alert-card.js';
import { ResponseSchema, type ResponseConfig } from '../../src/config/response-schema.js';
import { ConfigSchema } from '../../src/config/schema.js';
import { silentLogger } from '../../src/core/log.js';
import type { Decision } from '../../src/model/decision.js';
import type { Signal } from '../../src/model/signal.js';
import { responseContext, type ResponseContext } from '../../src/respond/context.js';
import type { InvestigateFn, QueryCloudTrailFn, ResponseDeps } from '../../src/respond/deps.js';
import { ACTIONS_QUEUE } from '../../src/respond/jobs.js';
import { registerResponse } from '../../src/respond/listeners/register.js';
import type { AlertRecord } from '../../src/respond/types.js';
import { createVerifyingReceiver } from '../../src/respond/verify.js';
import { processActionJob } from '../../src/respond/worker.js';
import { ACCOUNT } from '../fixtures/respond/signals.js';
import { openTestRedis, TEST_REDIS_URL, type TestRedis } from '../helpers/redis.js';
import { STAND_IN_TOKEN } from '../helpers/slack-stand-in.js';
import { startRespondStandIn, type RespondStandIn } from '../helpers/slack-stand-in-respond.js';

/**
 * One response-side world per test file: real Redis under a unique prefix,
 * the loopback Slack stand-in, a BullMQ `actions` queue whose jobs the test
 * runs by hand (so a retry is simply running the same job again), and an
 * IAM client the test mocks.
 */

export const SECRET = 'test-signing-secret-0123456789';
export const USERS = {
  analyst: 'U0ANALYST',
  responder: 'U0RESPOND',
  responder2: 'U0RESPONDB',
  contact: 'U0CONTACT',
  mapped: 'U0DANA',
  stranger: 'U0STRANGER',
} as const;

export const SOC = 'C0SOCRESP';
export const CUSTOMER = 'C0CUSTRESP';

export function responseSettings(over: Record<string, unknown> = {}): ResponseConfig {
  return ResponseSchema.parse({
    roles: {
      analyst: { users: [USERS.analyst] },
      responder: { users: [USERS.responder], groups: ['S0RESPONDERS'] },
      contacts: { users: [USERS.contact] },
    },
    identity_map: { iam_users: { dana: USERS.mapped } },
    ack_escalation: { after_minutes: 15, oncall_group: 'S0ONCALL' },
    duet: { reminder_minutes: 10, timeout_minutes: 20 },
    ...over,
  });
}

export interface Harness {
  redis: TestRedis;
  slack: RespondStandIn;
  queue: Queue;
  deps: ResponseDeps;
  ctx: ResponseContext;
  iam: IAMClient;
  clock: { now: Date };
  settings: { value: ResponseConfig };
  /** Runs every waiting job (and the jobs those add) once, oldest first. */
  runQueued(): Promise<number>;
  postCard(kind: 'alert' | 'duet', signal: Signal, decision: Decision): Promise<AlertRecord>;
  close(): Promise<void>;
}

export async function openHarness(options: { investigate?: InvestigateFn; queryCloudTrail?: QueryCloudTrailFn } = {}): Promise<Harness> {
  const redis = await openTestRedis('respond');
  const slackStandIn = await startRespondStandIn();
  slackStandIn.setGroup('S0RESPONDERS', [USERS.responder2]);
  const bull = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue(ACTIONS_QUEUE, { connection: bull, prefix: redis.prefix });
  const iam = new IAMClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' } });
  const clock = { now: new Date('2026-12-01T09:00:00.000Z') };
  const settings = { value: responseSettings() };
  const config = ConfigSchema.parse({
    soc_channel: SOC,
    tenants: [{ id: 'acme', name: 'Acme', soc_channel: SOC, customer_channel: CUSTOMER, accounts: [{ id: ACCOUNT, regions: ['us-west-2'] }] }],
  });
  const deps: ResponseDeps = {
    redis: redis.redis,
    prefix: redis.prefix,
    queue,
    slack: new WebClient(STAND_IN_TOKEN, { slackApiUrl: slackStandIn.apiUrl, retryConfig: { retries: 0 } }),
    log: silentLogger,
    config,
    responseFor: (tenant) => (tenant === 'acme' ? settings.value : undefined),
    iamFor: async () => iam,
    investigate: options.investigate ?? (async () => ({ results: [], summaryLines: [], files: [] })),
    queryCloudTrail: options.queryCloudTrail ?? (async () => ({ events: [] })),
    now: () => clock.now,
    responseUrlAllowed: (url) => url.startsWith(slackStandIn.url),
  };
  const ctx = responseContext(deps);

  const runQueued = async () => {
    let ran = 0;
    for (;;) {
      const jobs = (await queue.getJobs(['waiting', 'prioritized'])).sort((a, b) => a.timestamp - b.timestamp);
      if (jobs.length === 0) return ran;
      for (const job of jobs) {
        await job.remove();
        await processActionJob(ctx, job.data);
        ran += 1;
      }
    }
  };

  const postCard = async (kind: 'alert' | 'duet', signal: Signal, decision: Decision) => {
    const channel = kind === 'duet' ? CUSTOMER : SOC;
    const posted = await deps.slack.chat.postMessage({ channel, ...buildCard(signal, decision) });
    const { alert } = await ctx.alerts.register({ kind, cardKey: `test:${signal.id}`, tenantId: 'acme', signal, decision, channel, ts: posted.ts ?? '' }, clock.now);
    return alert;
  };

  return {
    redis,
    slack: slackStandIn,
    queue,
    deps,
    ctx,
    iam,
    clock,
    settings,
    runQueued,
    postCard,
    close: async () => {
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      bull.disconnect();
      await slackStandIn.close();
      await redis.cleanup();
    },
  };
}

/** A Bolt app with the verifying receiver and every response listener, on a loopback port. */
export async function startApp(h: Harness): Promise<{ url: string; stop(): Promise<void> }> {
  const receiver = createVerifyingReceiver({ signingSecret: SECRET });
  const app = new App({ receiver, token: STAND_IN_TOKEN, clientOptions: { slackApiUrl: h.slack.apiUrl }, logger: quietBolt() });
  registerResponse(app, h.deps);
  const server = (await app.start(0)) as Server;
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/slack/events`, stop: () => app.stop().then(() => undefined) };
}

function quietBolt() {
  const noop = () => undefined;
  return { debug: noop, info: noop, warn: noop, error: noop, setLevel: noop, getLevel: () => 'error' as never, setName: noop };
}

export function sign(body: string, timestamp: number, secret = SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export async function postSigned(url: string, body: string, opts: { timestamp?: number; signature?: string | null; contentType?: string } = {}): Promise<Response> {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { 'content-type': opts.contentType ?? 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(timestamp) };
  if (opts.signature !== null) headers['x-slack-signature'] = opts.signature ?? sign(body, timestamp);
  return fetch(url, { method: 'POST', headers, body });
}

export function clickBody(actionId: string, value: string, userId: string, channel = SOC): string {
  const payload = {
    type: 'block_actions',
    team: { id: 'T0STANDIN', domain: 'standin' },
    user: { id: userId, username: userId.toLowerCase(), team_id: 'T0STANDIN' },
    api_app_id: 'A0PICKET',
    token: 'legacy-verification-token',
    trigger_id: '1111.2222.trigger',
    container: { type: 'message', message_ts: '1700000000.000001', channel_id: channel, is_ephemeral: false },
    channel: { id: channel, name: 'soc' },
    message: { type: 'message', ts: '1700000000.000001', text: 'card' },
    response_url: 'https://hooks.slack.com/actions/T0/1/unused',
    actions: [{ type: 'button', action_id: actionId, block_id: 'picket.alert.actions', value, action_ts: '1700000001.000001', text: { type: 'plain_text', text: 'x' } }],
  };
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** A modal's state values as Slack sends them on submission. */
export type ViewValues = Record<string, { value: Record<string, unknown> }>;

/** A signed-ready `view_submission` body for the modal `callbackId`, carrying `privateMetadata`. */
export function submitBody(callbackId: string, privateMetadata: string, userId: string, values: ViewValues): string {
  const payload = {
    type: 'view_submission',
    team: { id: 'T0STANDIN', domain: 'standin' },
    user: { id: userId, username: 'u', team_id: 'T0STANDIN' },
    api_app_id: 'A0PICKET',
    token: 't',
    trigger_id: '1.2.3',
    view: {
      id: 'V0MODAL', team_id: 'T0STANDIN', type: 'modal', callback_id: callbackId, private_metadata: privateMetadata, hash: 'h',
      title: { type: 'plain_text', text: 'x' }, blocks: [], close: null, submit: null, root_view_id: 'V0MODAL', previous_view_id: null,
      app_id: 'A0PICKET', bot_id: 'B0PICKET', clear_on_close: false, notify_on_close: false,
      state: { values },
    },
  };
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** The suppression modal's answers: scope checkboxes, days and a reason. */
export function suppressValues(scope: string[], days: string, reason: string): ViewValues {
  return {
    scope: { value: { type: 'checkboxes', selected_options: scope.map((s) => ({ text: { type: 'plain_text', text: s }, value: s })) } },
    days: { value: { type: 'number_input', value: days } },
    reason: { value: { type: 'plain_text_input', value: reason } },
  };
}

/** The close modal's answers: a disposition and, optionally, a note. */
export function closeValues(disposition: string, note?: string): ViewValues {
  const values: ViewValues = { disposition: { value: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'x' }, value: disposition } } } };
  if (note !== undefined) values.note = { value: { type: 'plain_text_input', value: note } };
  return values;
}

export async function count(h: Harness, state: 'waiting' | 'completed'): Promise<number> {
  return (await h.queue.getJobCounts(state))[state] ?? 0;
}

/** Wait for a condition the app reaches after acknowledging (listeners keep working after ack). */
export async function until<T>(probe: () => Promise<T | undefined | false>, tries = 200): Promise<T> {
  for (let i = 0; i < tries; i += 1) {
    const value = await probe();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('condition not reached');
}
