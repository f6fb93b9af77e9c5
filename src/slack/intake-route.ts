import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConfigError, errorMessage } from '../core/errors.js';
import { LogField, type Logger } from '../core/log.js';
import type { ReadItem } from '../model/item.js';
import type { DeadLetterStore } from '../queue/dead-letter.js';
import { withTimeout, type Enqueuer } from '../queue/enqueue.js';

/**
 * POST <path>: EventBridge (API destination) or any sender with the shared
 * secret pushes findings and events here. The answer is 202 only once every
 * item is in Redis; while Redis is away the answer is 503 with Retry-After so
 * the sender keeps the event and tries again.
 */

export interface IntakeOptions {
  secret: string | undefined;
  maxBodyBytes: number;
  read: (data: Buffer, file: string, options?: { maxInflatedBytes?: number }) => ReadItem[];
  enqueuer: Enqueuer;
  deadLetters: DeadLetterStore;
  /** True while Redis answers; checked before the body is read. */
  ready: () => boolean;
  log: Logger;
  retryAfterSeconds?: number;
  /** BullMQ waits for a lost connection instead of failing: past this the answer is 503. */
  writeTimeoutMs?: number;
}

export type IntakeHandler = (req: IncomingMessage, res: ServerResponse) => void;

export const SECRET_HEADER = 'x-picket-secret';

export function createIntakeHandler(options: IntakeOptions): IntakeHandler {
  if (!options.secret) {
    throw new ConfigError('environment', 'PICKET_INTAKE_SECRET', 'a shared secret: the HTTPS intake refuses to start without one');
  }
  const expected = digest(options.secret);
  return (req, res) => {
    handle(options, expected, req, res).catch((err: unknown) => {
      options.log.error('intake failed', { [LogField.error]: err });
      if (!res.headersSent) unavailable(res, options);
    });
  };
}

async function handle(options: IntakeOptions, expected: Buffer, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!authorized(req, expected)) {
    options.log.warn('intake refused a request with a missing or wrong shared secret', { remote: req.socket.remoteAddress, status: 401 });
    return refuse(req, res, 401, { error: 'unauthorized' });
  }
  if (!options.ready()) return refuseUnavailable(req, res, options);

  const body = await readLimited(req, options.maxBodyBytes);
  if (body === undefined) {
    options.log.warn('intake refused a body over the limit', { remote: req.socket.remoteAddress, status: 413, limit: options.maxBodyBytes });
    return refuse(req, res, 413, { error: 'body too large', limit: options.maxBodyBytes });
  }

  const parseError = jsonProblem(body);
  if (parseError) {
    await options.deadLetters.add({ reason: `invalid JSON: ${parseError}`, stage: 'intake', source: 'http', raw: body });
    return send(res, 400, { error: 'invalid JSON', reason: parseError });
  }

  const items = readSafely(options, body);
  if (!items) {
    await options.deadLetters.add({ reason: 'the reader failed on this body', stage: 'intake', source: 'http', raw: body });
    return send(res, 400, { error: 'unreadable body' });
  }
  const write = options.enqueuer.enqueue(items, { raw: body });
  const counts = await withTimeout(write, options.writeTimeoutMs ?? 10_000);
  options.log.info('intake accepted', { ...counts });
  send(res, 202, counts);
}

/**
 * A body the reader cannot handle is the sender's problem, not ours: 400 and
 * a dead letter, never a 503 that EventBridge would retry for a day. A gzip
 * body may inflate to at most 16 times the body limit.
 */
function readSafely(options: IntakeOptions, body: Buffer): ReadItem[] | undefined {
  try {
    return options.read(body, 'http', { maxInflatedBytes: options.maxBodyBytes * 16 });
  } catch (err) {
    options.log.warn('reader failed on an intake body', { [LogField.error]: err });
    return undefined;
  }
}

/** Both sides hashed first so the comparison takes the same time whatever the lengths. */
function authorized(req: IncomingMessage, expected: Buffer): boolean {
  const presented = headerSecret(req);
  if (presented === undefined) return false;
  return timingSafeEqual(digest(presented), expected);
}

function headerSecret(req: IncomingMessage): string | undefined {
  const header = req.headers[SECRET_HEADER];
  if (typeof header === 'string' && header !== '') return header;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** The body, or undefined as soon as it passes `max` bytes (the rest is never buffered). */
function readLimited(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) return Promise.resolve(undefined);

  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) return void chunks.push(chunk);
      req.off('data', onData);
      req.pause();
      resolve(undefined);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Gzip bodies go straight to the reader; plain ones must at least be JSON (or JSON lines). */
function jsonProblem(body: Buffer): string | undefined {
  if (body.length >= 2 && body[0] === 0x1f && body[1] === 0x8b) return undefined;
  const text = body.toString('utf8').trim();
  if (text === '') return 'empty body';
  try {
    JSON.parse(text);
    return undefined;
  } catch (err) {
    const firstLine = text.split('\n', 1)[0] ?? '';
    if (firstLine !== text && isJson(firstLine)) return undefined;
    return errorMessage(err);
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Answer without reading the body, and close the connection so its rest is never read. */
function refuse(req: IncomingMessage, res: ServerResponse, status: number, body: object): void {
  res.setHeader('connection', 'close');
  send(res, status, body);
  res.on('finish', () => req.destroy());
}

function refuseUnavailable(req: IncomingMessage, res: ServerResponse, options: IntakeOptions): void {
  res.setHeader('retry-after', String(options.retryAfterSeconds ?? 30));
  refuse(req, res, 503, { error: 'queue unavailable, retry later' });
}

function unavailable(res: ServerResponse, options: IntakeOptions): void {
  res.setHeader('retry-after', String(options.retryAfterSeconds ?? 30));
  send(res, 503, { error: 'queue unavailable, retry later' });
}

function send(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
