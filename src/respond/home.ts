import { HOME_LIST, homeView, type HomeInput } from '../../blocks/app-home.js';
import { authorize, roleLabel } from './authorize.js';
import type { ResponseContext } from './context.js';
import { NO_TENANT } from './keys.js';
import type { Role } from './types.js';

/**
 * App Home for one person: only the tenants where they hold a role, and only
 * what those roles may see. A stranger gets an empty home, not a list.
 */

const RECENT = 15;

export async function publishHome(ctx: ResponseContext, userId: string): Promise<void> {
  const tenants: HomeInput['tenants'] = [];
  const allRoles = new Set<Role>();
  const revocable = new Set<string>();
  const auditable = new Set<string>();
  for (const tenant of ctx.deps.config.tenants) {
    const { roles } = await ctx.actorFor(userId, undefined, tenant.id);
    roles.forEach((r) => allRoles.add(r));
    if (roles.length === 0) continue;
    if (authorize('suppression_revoke', roles).allowed) revocable.add(tenant.id);
    if (authorize('audit_view', roles).allowed) auditable.add(tenant.id);
    const staff = roles.includes('analyst') || roles.includes('responder');
    tenants.push(await tenantLists(ctx, tenant.id, tenant.name, staff));
  }
  const unowned = await ctx.actorFor(userId, undefined, undefined);
  if (unowned.roles.includes('analyst')) tenants.push({ ...(await tenantLists(ctx, NO_TENANT, 'Accounts without a tenant', true)), waiting: [], waitingTotal: 0 });
  // Entries without a tenant belong to the install-wide view only.
  if (authorize('audit_view', unowned.roles).allowed) auditable.add(NO_TENANT);

  const roles = [...allRoles];
  const staff = roles.includes('analyst') || roles.includes('responder');
  const visible = new Set(tenants.map((t) => t.id));
  const recent = auditable.size > 0 ? await ctx.audit.recent({ tenants: [...auditable], limit: RECENT }) : [];
  const suppressions = staff ? (await ctx.suppressions.list(ctx.now())).filter((s) => visible.has(s.tenant)).map((item) => ({ item, canRevoke: revocable.has(item.tenant) })) : [];
  const rules = roles.length > 0 ? (ctx.deps.rules?.rules ?? []).map((r) => ({ id: r.id, title: r.title, route: r.picket.route ?? 'soc' })) : [];

  await ctx.deps.slack.views.publish({ user_id: userId, view: homeView({ tenants, recent, suppressions, rules, roleSummary: roleLabel(roles) }) });
}

/** Open alerts for staff, waiting DUETs for everyone with a role, and the true totals behind both lists. */
async function tenantLists(ctx: ResponseContext, id: string, name: string, staff: boolean): Promise<HomeInput['tenants'][number]> {
  const totals = await ctx.alerts.counts(id);
  return {
    id,
    name,
    open: staff ? await ctx.alerts.open(id, HOME_LIST) : [],
    openTotal: staff ? totals.open : 0,
    waiting: await ctx.alerts.waiting(id, HOME_LIST),
    waitingTotal: totals.waiting,
  };
}
