import { createHash } from 'node:crypto';
import { str } from '../core/json.js';
import { parseTimestamp } from '../core/time.js';
import type { OkItem } from '../model/item.js';
import { malwareScanSignal } from '../model/normalize.js';

/**
 * The identity of an item for de-duplication: the same finding delivered
 * twice (push and poll, or an EventBridge retry) has the same identity; an
 * update of it (new updatedAt) does not.
 */
export function itemIdentity(item: OkItem): { id: string; updatedAt?: string } {
  switch (item.kind) {
    case 'guardduty-finding':
      return { id: str(item.doc.id) ?? digest(item.doc), updatedAt: parseTimestamp(item.doc.updatedAt) };
    case 'malware-scan': {
      const signal = malwareScanSignal(item.doc, item.envelope);
      return { id: signal.id, updatedAt: signal.updatedAt };
    }
    case 'cloudtrail':
      return { id: str(item.doc.eventID) ?? digest(item.doc), updatedAt: parseTimestamp(item.doc.eventTime) };
  }
}

const SAFE_ID = /^[A-Za-z0-9_-]{1,80}$/;

/**
 * BullMQ job ids may not contain ':'; keep them short and stable. An id that
 * had to be rewritten or cut carries a hash of the original, so `a:b` and
 * `a_b` (or two long ids sharing a prefix) never share a job.
 */
export function jobIdFor(item: OkItem): string {
  const { id, updatedAt } = itemIdentity(item);
  const stamp = updatedAt ? String(Date.parse(updatedAt)) : `c${countOf(item)}`;
  const head = `${item.kind}-${accountOf(item)}`;
  if (SAFE_ID.test(id)) return `${head}-${id}-${stamp}`;

  const readable = id.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 36);
  return `${head}-${readable}-h${digest(id).slice(0, 16)}-${stamp}`;
}

/** Finding ids are unique per detector, not across accounts: the account keeps two apart. */
function accountOf(item: OkItem): string {
  const account = str(item.doc.accountId) ?? str(item.doc.recipientAccountId) ?? item.envelope?.account ?? 'na';
  return /^\d{12}$/.test(account) ? account : `a${digest(account).slice(0, 8)}`;
}

/** Without updatedAt, a higher count is still an update, not a duplicate. */
function countOf(item: OkItem): string {
  const service = item.doc.service;
  const count = typeof service === 'object' && service !== null && 'count' in service ? Number(service.count) : Number.NaN;
  return Number.isFinite(count) ? String(Math.trunc(count)) : 'na';
}

function digest(doc: unknown): string {
  return createHash('sha256').update(JSON.stringify(doc)).digest('hex').slice(0, 32);
}
