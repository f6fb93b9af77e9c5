import type { Redis } from 'ioredis';
import { z } from 'zod';
import { isObject } from '../core/json.js';
import { NO_TENANT, respondKeys } from './keys.js';
import { parseJson } from './store-json.js';

/**
 * The audit trail: every click, command and action, with who (Slack user and
 * the role resolved at the time), what, the target, the result and the AWS
 * request id. Redis streams trimmed by age keep it bounded: one stream for
 * everything, one per tenant (entries without a tenant go to `_`, which only
 * the install-wide roles see) so a view filters before it takes the newest,
 * and one per alert so `/picket audit <alert>` reads only its own. An entry
 * has the same id in each stream it is written to.
 */

export const AUDIT_RESULTS = ['ok', 'refused', 'failed', 'requested', 'noop', 'expired'] as const;

export const AuditEntrySchema = z.object({
  id: z.string(),
  time: z.string(),
  user: z.string(),
  role: z.string(),
  action: z.string(),
  target: z.string(),
  result: z.enum(AUDIT_RESULTS),
  detail: z.string().optional(),
  awsRequestId: z.string().optional(),
  alertId: z.string().optional(),
  tenant: z.string().optional(),
});

export type AuditEntry = z.infer<typeof AuditEntrySchema>;
export type AuditInput = Omit<AuditEntry, 'id' | 'time'>;

export interface AuditLog {
  record(entry: AuditInput): Promise<AuditEntry>;
  /** Newest first: of one alert, of the given tenants (`_` for entries without one), or of everything. */
  recent(options?: { alertId?: string; tenants?: readonly string[]; limit?: number }): Promise<AuditEntry[]>;
  /** Oldest first, one JSON object per line. */
  exportLines(options?: { alertId?: string }): Promise<string>;
}

export const DEFAULT_AUDIT_RETENTION_DAYS = 400;
const DAY_MS = 24 * 3600 * 1000;

export function createAuditLog(redis: Redis, prefix: string, opts: { retentionDays?: number; now?: () => Date } = {}): AuditLog {
  const keys = respondKeys(prefix);
  const retentionMs = (opts.retentionDays ?? DEFAULT_AUDIT_RETENTION_DAYS) * DAY_MS;
  const now = opts.now ?? (() => new Date());
  const streamOf = (alertId?: string) => (alertId ? keys.auditFor(alertId) : keys.audit);

  return {
    record: async (input) => {
      const at = now();
      const body = JSON.stringify({ ...input, time: at.toISOString() });
      const minId = String(Math.max(at.getTime() - retentionMs, 0));
      const id = (await redis.xadd(keys.audit, 'MINID', '~', minId, '*', 'e', body)) ?? '';
      // Ids of the global stream only grow, so each narrower stream accepts the same id.
      const narrower = [keys.auditTenant(input.tenant ?? NO_TENANT), ...(input.alertId ? [keys.auditFor(input.alertId)] : [])];
      for (const stream of narrower) {
        await redis.xadd(stream, 'MINID', '~', minId, id, 'e', body);
        await redis.pexpire(stream, retentionMs);
      }
      return { ...input, time: at.toISOString(), id };
    },
    recent: async ({ alertId, tenants, limit = 20 } = {}) => {
      if (alertId !== undefined || tenants === undefined) return newest(redis, streamOf(alertId), limit);
      const each = await Promise.all([...new Set(tenants)].map((t) => newest(redis, keys.auditTenant(t), limit)));
      return each.flat().sort((a, b) => compareIds(b.id, a.id)).slice(0, limit);
    },
    exportLines: async ({ alertId } = {}) => {
      const rows = await redis.xrange(streamOf(alertId), '-', '+');
      return rows
        .flatMap(([id, fields]) => parseRow(id, fields))
        .map((e) => JSON.stringify(e))
        .join('\n');
    },
  };
}

async function newest(redis: Redis, stream: string, limit: number): Promise<AuditEntry[]> {
  const rows = await redis.xrevrange(stream, '+', '-', 'COUNT', limit);
  return rows.flatMap(([id, fields]) => parseRow(id, fields));
}

/** Stream ids are `<ms>-<seq>`: compared as numbers, not text. */
function compareIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am - bm || as - bs;
}

function parseRow(id: string, fields: string[]): AuditEntry[] {
  const index = fields.indexOf('e');
  const raw = index >= 0 ? fields[index + 1] : undefined;
  if (raw === undefined) return [];
  const json = parseJson(raw);
  if (!isObject(json)) return [];
  const parsed = AuditEntrySchema.safeParse({ ...json, id });
  return parsed.success ? [parsed.data] : [];
}
