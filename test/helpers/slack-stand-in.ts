import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { validateCard } from '../../blocks/limits.js';
import type { Card } from '../../blocks/types.js';

/**
 * A Slack Web API stand-in on 127.0.0.1: answers the methods Picket calls,
 * records every call, enforces auth and message limits, and can be told to
 * answer 429 with Retry-After a number of times.
 */

export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  token?: string;
}

export interface StandInOptions {
  tokens?: string[];
  /** Payload checks past block count and text length (violations → invalid_blocks); default: blocks/limits.ts validateCard. */
  validate?: (payload: { text: string; blocks: unknown[] }) => string[];
}

export interface SlackStandIn {
  url: string;
  apiUrl: string;
  calls: RecordedCall[];
  callsTo(method: string): RecordedCall[];
  rateLimit(method: string, times: number, retryAfterSeconds: number): void;
  failWith(method: string, error: string, times?: number): void;
  close(): Promise<void>;
}

const MAX_BLOCKS = 50;
const MAX_TEXT = 40_000;
export const STAND_IN_TOKEN = 'xoxb-stand-in-token';

interface State {
  calls: RecordedCall[];
  messages: Map<string, { channel: string; ts: string }>;
  limited: Map<string, { times: number; seconds: number }>;
  failures: Map<string, { error: string; times: number }>;
  tokens: Set<string>;
  validate?: StandInOptions['validate'];
  seq: number;
  base: string;
}

export async function startSlackStandIn(options: StandInOptions = {}): Promise<SlackStandIn> {
  const state: State = {
    calls: [],
    messages: new Map(),
    limited: new Map(),
    failures: new Map(),
    tokens: new Set(options.tokens ?? [STAND_IN_TOKEN]),
    validate: options.validate ?? cardViolations,
    seq: 0,
    base: '',
  };
  const server = createServer((req, res) => void handle(state, req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.base = `http://127.0.0.1:${port}`;
  return standIn(state, server);
}

function standIn(state: State, server: Server): SlackStandIn {
  return {
    url: state.base,
    apiUrl: `${state.base}/api/`,
    calls: state.calls,
    callsTo: (method) => state.calls.filter((c) => c.method === method),
    rateLimit: (method, times, seconds) => state.limited.set(method, { times, seconds }),
    failWith: (method, error, times = Number.POSITIVE_INFINITY) => state.failures.set(method, { error, times }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(state: State, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  const path = new URL(req.url ?? '/', state.base).pathname;
  if (path.startsWith('/upload/')) return reply(res, 200, 'OK');
  if (!path.startsWith('/api/')) return reply(res, 404, 'not found');

  const method = path.slice('/api/'.length);
  const args = parseArgs(req.headers['content-type'] ?? '', body);
  const token = bearer(req.headers.authorization) ?? (typeof args.token === 'string' ? args.token : undefined);
  delete args.token;
  state.calls.push({ method, args, token });

  const limited = state.limited.get(method);
  if (limited && limited.times > 0) {
    limited.times -= 1;
    res.setHeader('Retry-After', String(limited.seconds));
    return replyJson(res, 429, { ok: false, error: 'ratelimited' });
  }
  replyJson(res, 200, answer(state, method, args, token));
}

function answer(state: State, method: string, args: Record<string, unknown>, token?: string): object {
  if (!token) return { ok: false, error: 'not_authed' };
  if (!state.tokens.has(token)) return { ok: false, error: 'invalid_auth' };

  const failure = state.failures.get(method);
  if (failure && failure.times > 0) {
    failure.times -= 1;
    return { ok: false, error: failure.error };
  }
  const handler = METHODS[method];
  return handler ? handler(state, args) : { ok: false, error: 'unknown_method' };
}

type MethodHandler = (state: State, args: Record<string, unknown>) => object;

const METHODS: Record<string, MethodHandler> = {
  'auth.test': () => ({ ok: true, url: 'https://stand-in.slack.test/', team: 'Stand-in', user: 'picket', team_id: 'T0STANDIN', user_id: 'U0PICKET', bot_id: 'B0PICKET' }),
  'chat.postMessage': (state, args) => postMessage(state, args),
  'chat.update': (state, args) => updateMessage(state, args),
  'chat.postEphemeral': (state, args) => {
    const problem = payloadProblem(state, args);
    return problem ? { ok: false, error: problem } : { ok: true, message_ts: nextTs(state) };
  },
  'files.getUploadURLExternal': (state) => {
    const id = `F0${String(++state.seq).padStart(6, '0')}`;
    return { ok: true, upload_url: `${state.base}/upload/${id}`, file_id: id };
  },
  'files.completeUploadExternal': (_state, args) => ({ ok: true, files: parseJsonArg(args.files) ?? [] }),
  'views.open': (state) => ({ ok: true, view: { id: `V0${++state.seq}` } }),
  'views.publish': (state) => ({ ok: true, view: { id: `V0${++state.seq}` } }),
};

function postMessage(state: State, args: Record<string, unknown>): object {
  const channel = typeof args.channel === 'string' ? args.channel : '';
  if (!channel) return { ok: false, error: 'channel_not_found' };
  const problem = payloadProblem(state, args);
  if (problem) return { ok: false, error: problem };

  const ts = nextTs(state);
  state.messages.set(`${channel}/${ts}`, { channel, ts });
  return { ok: true, channel, ts, message: { text: args.text, ts } };
}

function updateMessage(state: State, args: Record<string, unknown>): object {
  const channel = String(args.channel ?? '');
  const ts = String(args.ts ?? '');
  if (!state.messages.has(`${channel}/${ts}`)) return { ok: false, error: 'message_not_found' };
  const problem = payloadProblem(state, args);
  return problem ? { ok: false, error: problem } : { ok: true, channel, ts, text: args.text };
}

function payloadProblem(state: State, args: Record<string, unknown>): string | undefined {
  const text = typeof args.text === 'string' ? args.text : '';
  const blocks = parseJsonArg(args.blocks) ?? [];
  if (text.length > MAX_TEXT) return 'msg_too_long';
  if (!Array.isArray(blocks) || blocks.length > MAX_BLOCKS) return 'invalid_blocks';
  if (state.validate && blocks.length > 0 && state.validate({ text, blocks }).length > 0) return 'invalid_blocks';
  return undefined;
}

/** validateCard walks its input defensively, so the parsed (untyped) blocks can be handed over as they came. */
function cardViolations(payload: { text: string; blocks: unknown[] }): string[] {
  return validateCard(payload as Card);
}

function nextTs(state: State): string {
  state.seq += 1;
  return `1700000000.${String(state.seq).padStart(6, '0')}`;
}

function parseArgs(contentType: string, body: string): Record<string, unknown> {
  if (contentType.includes('application/json')) {
    const parsed: unknown = body ? JSON.parse(body) : {};
    return typeof parsed === 'object' && parsed !== null ? { ...(parsed as Record<string, unknown>) } : {};
  }
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) args[key] = value;
  return args;
}

/** The WebClient sends nested values as JSON strings inside a form body. */
export function parseJsonArg(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (typeof value !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  return match?.[1];
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function reply(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain' });
  res.end(text);
}

function replyJson(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
