import { homeView } from '../../blocks/app-home.js';
import { authorize, roleLabel } from './authorize.js';
import type { ResponseContext } from './context.js';
import { NO_TENANT } from './keys.js';
import type { Role } from './types.js';

/**
 * App Home for one person: only the tenants where they hold a role, and only
 * what those roles may see. A stranger gets an empty home, not a list.
 */

export async function publishHome(ctx: ResponseContext, userId: string): Promise<void> {
  const tenants = [];
  const allRoles = new Set<Role>();
  const revocable = new Set<string>();
  for (const tenant of ctx.deps.config.tenants) {
    const { roles } = await ctx.actorFor(userId, undefined, tenant.id);
    roles.forEach((r) => allRoles.add(r));
    if (roles.length === 0) continue;
    if (authorize('suppression_revoke', roles).allowed) revocable.add(tenant.id);
    const staff = roles.includes('analyst') || roles.includes('responder');
    tenants.push({ id: tenant.id, name: tenant.name, open: staff ? await ctx.alerts.open(tenant.id) : [], waiting: await ctx.alerts.waiting(tenant.id) });
  }
  const unowned = await ctx.actorFor(userId, undefined, undefined);
  if (unowned.roles.includes('analyst')) tenants.push({ id: NO_TENANT, name: 'Accounts without a tenant', open: await ctx.alerts.open(NO_TENANT), waiting: [] });

  const roles = [...allRoles];
  const staff = roles.includes('analyst') || roles.includes('responder');
  const visible = new Set(tenants.map((t) => t.id));
  const recent = staff ? (await ctx.audit.recent({ limit: 50 })).filter((e) => e.tenant === undefined || visible.has(e.tenant)).slice(0, 15) : [];
  const suppressions = staff ? (await ctx.suppressions.list(ctx.now())).filter((s) => visible.has(s.tenant)).map((item) => ({ item, canRevoke: revocable.has(item.tenant) })) : [];
  const rules = roles.length > 0 ? (ctx.deps.rules?.rules ?? []).map((r) => ({ id: r.id, title: r.title, route: r.picket.route ?? 'soc' })) : [];

  await ctx.deps.slack.views.publish({ user_id: userId, view: homeView({ tenants, recent, suppressions, rules, roleSummary: roleLabel(roles) }) });
}
