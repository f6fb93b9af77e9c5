import type { ResponseContext } from './context.js';
import type { AlertRecord } from './types.js';

/**
 * Which AWS account an alert lets its tenant act in. The tenant was chosen
 * from the account the alert was routed by (`signal.accountId`); the actor's
 * account is the *caller's* (a CloudTrail event made from another account
 * carries that account there), so it is trusted only when the same tenant
 * owns it. Anything else is refused: Picket never acts through another
 * tenant's role.
 */

export type AccountVerdict = { ok: true; accountId: string } | { ok: false; reason: string };

/** The account the alert was routed by, if it still belongs to the alert's tenant. */
export function routedAccount(ctx: ResponseContext, alert: AlertRecord): AccountVerdict {
  const accountId = alert.signal.accountId;
  if (!accountId) return { ok: false, reason: `alert ${alert.id} names no AWS account` };
  if (ctx.tenants.forAccount(accountId).tenant?.id !== alert.tenantId) {
    return { ok: false, reason: `AWS account ${accountId} no longer belongs to this alert's tenant; Picket acts only in the tenant's own accounts` };
  }
  return { ok: true, accountId };
}

/** Where the actor's own IAM principal (its key, its role) lives, when the alert's tenant owns that account. */
export function actorAccount(ctx: ResponseContext, alert: AlertRecord): AccountVerdict {
  const routed = routedAccount(ctx, alert);
  if (!routed.ok) return routed;
  const actorId = alert.signal.actor?.accountId ?? routed.accountId;
  if (actorId === routed.accountId) return routed;
  const owner = ctx.tenants.forAccount(actorId).tenant?.id;
  if (alert.tenantId !== undefined && owner === alert.tenantId) return { ok: true, accountId: actorId };
  return {
    ok: false,
    reason: `the principal belongs to AWS account ${actorId}, which is not one of this tenant's accounts; Picket does not act there. Ask the owner of ${actorId} to remediate`,
  };
}
