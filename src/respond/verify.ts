import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { HTTPReceiver, type HTTPReceiverOptions } from '@slack/bolt';

/**
 * Slack request signatures, stricter than Bolt's own check: Bolt refuses a
 * timestamp more than five minutes old but accepts one from the future, which
 * lets a captured-and-replayed request with a forged clock live longer. Here
 * both directions are refused, and a missing header is a refusal, not an
 * exception.
 */

export const SIGNATURE_WINDOW_SECONDS = 300;

export type SignatureVerdict = { ok: true } | { ok: false; reason: 'missing' | 'stale' | 'future' | 'malformed' | 'mismatch' };

export interface SignedRequest {
  signature: string | undefined;
  timestamp: string | undefined;
  body: string;
}

export function verifySlackSignature(secret: string, req: SignedRequest, nowMs: number = Date.now()): SignatureVerdict {
  if (!req.signature || !req.timestamp) return { ok: false, reason: 'missing' };
  if (!/^\d{1,12}$/.test(req.timestamp)) return { ok: false, reason: 'malformed' };
  const skew = Math.floor(nowMs / 1000) - Number(req.timestamp);
  if (skew > SIGNATURE_WINDOW_SECONDS) return { ok: false, reason: 'stale' };
  if (skew < -SIGNATURE_WINDOW_SECONDS) return { ok: false, reason: 'future' };

  const expected = `v0=${createHmac('sha256', secret).update(`v0:${req.timestamp}:${req.body}`).digest('hex')}`;
  const given = Buffer.from(req.signature, 'utf8');
  const wanted = Buffer.from(expected, 'utf8');
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return { ok: false, reason: 'mismatch' };
  return { ok: true };
}

export interface GuardOptions {
  signingSecret: string;
  /** Paths Slack posts to; other paths (the HTTPS intake) pass through untouched. */
  endpoints?: string[];
  now?: () => number;
  onRefused?: (reason: string, path: string) => void;
  bodyLimit?: number;
}

type Buffered = IncomingMessage & { rawBody?: Buffer };

/**
 * Wraps a request listener: Slack endpoints are buffered and verified first;
 * a verified request continues with its body attached as `rawBody`, which
 * Bolt reuses instead of reading the stream again.
 */
export function guardRequestListener(inner: RequestListener, options: GuardOptions): RequestListener {
  const endpoints = new Set(options.endpoints ?? ['/slack/events']);
  const now = options.now ?? Date.now;
  const limit = options.bodyLimit ?? 4 * 1024 * 1024;
  return (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (!endpoints.has(path) || req.method !== 'POST') return void inner(req, res);
    void readBody(req, limit).then(
      (body) => {
        const verdict = verifySlackSignature(options.signingSecret, { signature: header(req, 'x-slack-signature'), timestamp: header(req, 'x-slack-request-timestamp'), body: body.toString('utf8') }, now());
        if (!verdict.ok) return refuse(res, verdict.reason, path, options);
        (req as Buffered).rawBody = body;
        inner(req, res);
      },
      () => refuse(res, 'body', path, options, 413),
    );
  };
}

function refuse(res: ServerResponse, reason: string, path: string, options: GuardOptions, status = 401): void {
  options.onRefused?.(reason, path);
  res.writeHead(status, { 'content-type': 'text/plain' });
  res.end('refused');
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.destroy();
        reject(new Error('body too large'));
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Bolt's HTTP receiver with the stricter check in front of it. Pass it to
 * `new App({ receiver })`; Bolt's own check still runs after ours.
 */
export function createVerifyingReceiver(options: HTTPReceiverOptions & { now?: () => number; onRefused?: GuardOptions['onRefused'] }): HTTPReceiver {
  const receiver = new HTTPReceiver(options);
  receiver.requestListener = guardRequestListener(receiver.requestListener, {
    signingSecret: options.signingSecret,
    endpoints: options.endpoints === undefined ? undefined : Array.isArray(options.endpoints) ? options.endpoints : Object.values(options.endpoints),
    now: options.now,
    onRefused: options.onRefused,
  });
  return receiver;
}
