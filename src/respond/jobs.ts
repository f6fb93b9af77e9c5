import { Queue, type ConnectionOptions } from 'bullmq';
import { z } from 'zod';
import { INVESTIGATE_KINDS } from './deps.js';

/**
 * What travels on the `actions` queue. Listeners acknowledge Slack at once and
 * put one of these here; the worker does the work. Job data is parsed with
 * this schema: a malformed job fails for good instead of acting on guesses.
 */

export const ACTIONS_QUEUE = 'actions';

const role = z.enum(['analyst', 'responder', 'contact', 'actor']);
const actor = z.object({ userId: z.string(), roles: z.array(role) });
/** Where a command's answer goes when there is no alert thread. */
const reply = z.object({ channel: z.string(), responseUrl: z.string().optional(), userId: z.string() });

export const ActionJobSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('lifecycle'), op: z.enum(['acknowledge', 'assign']), alertId: z.string(), actor }),
  z.object({
    type: z.literal('close'),
    alertId: z.string(),
    actor,
    disposition: z.enum(['true_positive', 'benign', 'false_positive']),
    note: z.string().max(2000).optional(),
  }),
  z.object({ type: z.literal('duet-answer'), alertId: z.string(), answer: z.enum(['yes', 'no']), actor }),
  z.object({ type: z.literal('duet-remind'), alertId: z.string() }),
  z.object({ type: z.literal('duet-timeout'), alertId: z.string() }),
  z.object({ type: z.literal('ack-escalate'), alertId: z.string() }),
  z.object({ type: z.literal('key-details'), alertId: z.string(), viewId: z.string(), actor }),
  z.object({
    type: z.literal('remediate'),
    op: z.enum(['deactivate', 'reactivate', 'revoke_sessions']),
    alertId: z.string(),
    actor,
    generation: z.number().int().min(0),
    approvedBy: z.string().optional(),
    /** Session revocation cuts off credentials issued before this instant, fixed when approved. */
    before: z.string().optional(),
    auto: z.boolean().optional(),
  }),
  z.object({
    type: z.literal('investigate'),
    alertId: z.string().optional(),
    actor,
    request: z.object({
      kind: z.enum(INVESTIGATE_KINDS),
      id: z.string(),
      accountId: z.string(),
      region: z.string(),
      since: z.string(),
      until: z.string(),
    }),
    reply: reply.optional(),
  }),
  z.object({
    type: z.literal('cloudtrail'),
    actor,
    query: z.object({ accountId: z.string(), region: z.string(), key: z.string(), value: z.string(), since: z.string(), until: z.string() }),
    reply,
  }),
  z.object({ type: z.literal('audit-export'), actor, alertId: z.string().optional(), reply }),
  z.object({ type: z.literal('home'), userId: z.string() }),
]);

export type ActionJob = z.infer<typeof ActionJobSchema>;

export const ACTION_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 24 * 3600, count: 5_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 5_000 },
} as const;

export function createActionsQueue(connection: ConnectionOptions, prefix: string): Queue {
  return new Queue(ACTIONS_QUEUE, { connection, prefix });
}

/** BullMQ refuses ':' in custom job ids. */
export function jobIdOf(...parts: string[]): string {
  return parts.map((p) => p.replace(/[^A-Za-z0-9_.-]/g, '_')).join('-');
}
