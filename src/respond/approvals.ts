import type { Redis } from 'ioredis';
import { z } from 'zod';
import { respondKeys } from './keys.js';
import { parseJson } from './store-json.js';

/**
 * Two-person approvals: a remediation on a protected principal waits here
 * until a second, different responder approves it. The key expires with the
 * tenant's time limit, so an approval can never arrive late.
 */

export const ApprovalSchema = z.object({
  alertId: z.string(),
  op: z.enum(['deactivate', 'revoke_sessions']),
  target: z.string(),
  requestedBy: z.string(),
  requestedAt: z.string(),
  expiresAt: z.string(),
  generation: z.number().int(),
  before: z.string().optional(),
});

export type Approval = z.infer<typeof ApprovalSchema>;

export interface ApprovalStore {
  request(approval: Approval): Promise<boolean>;
  get(alertId: string, now: Date): Promise<Approval | undefined>;
  /** Removes and returns the pending approval, so two approvers cannot both trigger it. */
  take(alertId: string, now: Date): Promise<Approval | undefined>;
}

export function createApprovalStore(redis: Redis, prefix: string): ApprovalStore {
  const keys = respondKeys(prefix);
  const live = (text: string | null, now: Date) => {
    const parsed = ApprovalSchema.safeParse(parseJson(text));
    return parsed.success && Date.parse(parsed.data.expiresAt) > now.getTime() ? parsed.data : undefined;
  };

  return {
    request: async (approval) => {
      const ttl = Math.max(Date.parse(approval.expiresAt) - Date.parse(approval.requestedAt), 1);
      return (await redis.set(keys.approval(approval.alertId), JSON.stringify(approval), 'PX', ttl, 'NX')) === 'OK';
    },
    get: async (alertId, now) => live(await redis.get(keys.approval(alertId)), now),
    take: async (alertId, now) => live(await redis.getdel(keys.approval(alertId)), now),
  };
}
