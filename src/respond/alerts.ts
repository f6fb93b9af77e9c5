import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { isObject } from '../core/json.js';
import type { Decision } from '../model/decision.js';
import type { Signal } from '../model/signal.js';
import { NO_TENANT, respondKeys } from './keys.js';
import { withLock } from './lock.js';
import { parseJson } from './store-json.js';
import type { AlertKind, AlertRecord } from './types.js';

/**
 * What the response side knows about each card it can act on. A click carries
 * only a finding id; everything an action needs (the principal, the key, the
 * tenant) is read from here, never from the clicked message.
 */

const RETENTION_SECONDS = 100 * 24 * 3600;
const OPEN_STATES = new Set(['open', 'acknowledged']);

const AlertRecordSchema = z.object({
  id: z.string(),
  kind: z.enum(['alert', 'duet']),
  cardKey: z.string(),
  tenantId: z.string().optional(),
  findingIds: z.array(z.string()),
  ruleId: z.string().optional(),
  channel: z.string(),
  ts: z.string(),
  signal: z.custom<Signal>((v) => isObject(v) && typeof v.id === 'string'),
  decision: z.custom<Decision>((v) => isObject(v) && Array.isArray(v.hits)),
  state: z.enum(['open', 'acknowledged', 'closed', 'awaiting', 'expected', 'unexpected', 'unanswered']),
  stateBy: z.string().optional(),
  stateAt: z.string().optional(),
  assignee: z.string().optional(),
  disposition: z.enum(['true_positive', 'benign', 'false_positive']).optional(),
  note: z.string().optional(),
  answer: z
    .object({ value: z.enum(['yes', 'no']), by: z.string(), at: z.string(), role: z.enum(['analyst', 'responder', 'contact', 'actor']) })
    .optional(),
  linkedAlertId: z.string().optional(),
  escalation: z.string().optional(),
  remediation: z
    .object({
      op: z.enum(['deactivate', 'reactivate', 'revoke_sessions']),
      target: z.string(),
      result: z.enum(['inactive', 'active', 'revoked', 'failed', 'pending_approval']),
      by: z.string(),
      at: z.string(),
      generation: z.number().int(),
    })
    .optional(),
  evidence: z
    .array(z.object({ provider: z.string(), field: z.string(), value: z.string(), verdict: z.enum(['bad', 'suspicious', 'info']).optional() }))
    .optional(),
  enrichment: z.array(z.object({ provider: z.string(), status: z.enum(['ok', 'unavailable', 'skipped']), reason: z.string().optional() })).optional(),
  createdAt: z.string(),
});

export interface RegisterInput {
  kind: AlertKind;
  cardKey: string;
  tenantId?: string;
  signal: Signal;
  decision: Decision;
  channel: string;
  ts: string;
  linkedAlertId?: string;
  escalation?: string;
  /** The DUET answer a SOC card raised from it carries. */
  answer?: AlertRecord['answer'];
}

export interface AlertStore {
  /** Creates the record on first sight; a later version of the card refreshes the finding, keeping the state. */
  register(input: RegisterInput, now: Date): Promise<{ alert: AlertRecord; created: boolean }>;
  get(alertId: string): Promise<AlertRecord | undefined>;
  byFinding(findingId: string): Promise<AlertRecord | undefined>;
  /** Read, change and write under the alert's lock; `change` returning undefined leaves it as it was. */
  update(alertId: string, change: (alert: AlertRecord) => AlertRecord | undefined): Promise<AlertRecord | undefined>;
  open(tenant: string, limit?: number): Promise<AlertRecord[]>;
  waiting(tenant: string, limit?: number): Promise<AlertRecord[]>;
  tenants(): Promise<string[]>;
  /** How many alerts are open and DUETs waiting, however many a list shows. */
  counts(tenant: string): Promise<{ open: number; waiting: number }>;
}

/** A short, stable id people can type: the same card always has the same one. */
export function alertIdFor(cardKey: string): string {
  return createHash('sha256').update(cardKey).digest('hex').slice(0, 12);
}

export function createAlertStore(redis: Redis, prefix: string): AlertStore {
  const keys = respondKeys(prefix);

  const get = async (alertId: string) => {
    const parsed = AlertRecordSchema.safeParse(parseJson(await redis.get(keys.alert(alertId))));
    return parsed.success ? (parsed.data as AlertRecord) : undefined;
  };

  const save = async (alert: AlertRecord) => {
    const tenant = alert.tenantId ?? NO_TENANT;
    const score = Date.parse(alert.createdAt);
    const tx = redis.multi().set(keys.alert(alert.id), JSON.stringify(alert), 'EX', RETENTION_SECONDS).sadd(keys.tenants, tenant);
    for (const findingId of alert.findingIds) tx.set(keys.byFinding(findingId), indexedId(alert), 'EX', RETENTION_SECONDS);
    if (OPEN_STATES.has(alert.state)) tx.zadd(keys.open(tenant), score, alert.id);
    else tx.zrem(keys.open(tenant), alert.id);
    if (alert.state === 'awaiting') tx.zadd(keys.waiting(tenant), score, alert.id);
    else tx.zrem(keys.waiting(tenant), alert.id);
    await tx.exec();
  };

  const listed = async (key: string, limit: number) => {
    const ids = await redis.zrevrange(key, 0, limit - 1);
    const alerts = await Promise.all(ids.map(get));
    return alerts.filter((a): a is AlertRecord => a !== undefined);
  };

  return {
    register: (input, now) =>
      withLock(redis, keys.alertLock(alertIdFor(input.cardKey)), async () => {
        const id = alertIdFor(input.cardKey);
        const prior = await get(id);
        const alert = prior ? refreshed(prior, input) : fresh(id, input, now);
        await save(alert);
        return { alert, created: prior === undefined };
      }),
    get,
    byFinding: async (findingId) => {
      const id = await redis.get(keys.byFinding(findingId));
      return id ? get(id) : undefined;
    },
    update: (alertId, change) =>
      withLock(redis, keys.alertLock(alertId), async () => {
        const prior = await get(alertId);
        const next = prior ? change(prior) : undefined;
        if (next) await save(next);
        return next ?? prior;
      }),
    open: (tenant, limit = 20) => listed(keys.open(tenant), limit),
    waiting: (tenant, limit = 20) => listed(keys.waiting(tenant), limit),
    tenants: () => redis.smembers(keys.tenants),
    counts: async (tenant) => ({ open: await redis.zcard(keys.open(tenant)), waiting: await redis.zcard(keys.waiting(tenant)) }),
  };
}

/**
 * The escalated SOC card carries the DUET's finding id on its buttons, so once
 * a DUET is escalated its finding resolves to the SOC alert, whichever of the
 * two was saved last. Clicks meant for the DUET (answers, mute) follow the
 * link back; see `forAction` in listeners/click.ts.
 */
function indexedId(alert: AlertRecord): string {
  return alert.kind === 'duet' && alert.linkedAlertId !== undefined ? alert.linkedAlertId : alert.id;
}

function fresh(id: string, input: RegisterInput, now: Date): AlertRecord {
  const alert: AlertRecord = {
    id,
    kind: input.kind,
    cardKey: input.cardKey,
    findingIds: [input.signal.id],
    channel: input.channel,
    ts: input.ts,
    signal: input.signal,
    decision: input.decision,
    state: input.kind === 'duet' ? 'awaiting' : 'open',
    createdAt: now.toISOString(),
  };
  if (input.tenantId !== undefined) alert.tenantId = input.tenantId;
  const ruleId = input.decision.hits[0]?.ruleId;
  if (ruleId !== undefined) alert.ruleId = ruleId;
  if (input.linkedAlertId !== undefined) alert.linkedAlertId = input.linkedAlertId;
  if (input.escalation !== undefined) alert.escalation = input.escalation;
  if (input.answer !== undefined) alert.answer = input.answer;
  return alert;
}

function refreshed(prior: AlertRecord, input: RegisterInput): AlertRecord {
  const findingIds = prior.findingIds.includes(input.signal.id) ? prior.findingIds : [...prior.findingIds, input.signal.id];
  return { ...prior, signal: input.signal, decision: input.decision, channel: input.channel, ts: input.ts, findingIds };
}
