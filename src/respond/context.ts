import type { JobsOptions } from 'bullmq';
import type { ResponseConfig } from '../config/response-schema.js';
import { indexTenants, type TenantIndex } from '../config/tenants.js';
import { createAlertStore, type AlertStore } from './alerts.js';
import { createApprovalStore, type ApprovalStore } from './approvals.js';
import { createAuditLog, type AuditInput, type AuditLog } from './audit.js';
import { roleLabel } from './authorize.js';
import type { ResponseDeps } from './deps.js';
import { ACTION_JOB_OPTIONS, ActionJobSchema, type ActionJob } from './jobs.js';
import { createRoleResolver, slackGroupSource, type RoleResolver } from './roles.js';
import { createSuppressionStore, type SuppressionStore } from './suppressions.js';
import type { Actor, AlertRecord, Role } from './types.js';

/**
 * The stores and helpers every listener and job uses, built once from the
 * injected deps so the listeners and the worker share one view of them.
 */

export interface ResponseContext {
  deps: ResponseDeps;
  alerts: AlertStore;
  audit: AuditLog;
  roles: RoleResolver;
  suppressions: SuppressionStore;
  approvals: ApprovalStore;
  tenants: TenantIndex;
  now(): Date;
  configFor(tenantId: string | undefined): ResponseConfig | undefined;
  /** The caller's roles for the alert's tenant (and, for a DUET, whether they are its actor). */
  actorFor(userId: string, alert: AlertRecord | undefined, tenantId?: string): Promise<Actor>;
  enqueue(job: ActionJob, options?: Pick<JobsOptions, 'jobId' | 'delay'>): Promise<void>;
  record(actor: Actor | 'picket', entry: Omit<AuditInput, 'user' | 'role'>): Promise<void>;
}

const cache = new WeakMap<ResponseDeps, ResponseContext>();

export function responseContext(deps: ResponseDeps): ResponseContext {
  const known = cache.get(deps);
  if (known) return known;
  const built = build(deps);
  cache.set(deps, built);
  return built;
}

function build(deps: ResponseDeps): ResponseContext {
  const now = deps.now ?? (() => new Date());
  const groups = deps.groups ?? slackGroupSource(deps.slack, deps.redis, deps.prefix, deps.log);
  const roles = createRoleResolver(groups);
  const audit = createAuditLog(deps.redis, deps.prefix, { retentionDays: deps.auditRetentionDays, now });
  const configFor = (tenantId: string | undefined) => deps.responseFor(tenantId);

  return {
    deps,
    alerts: createAlertStore(deps.redis, deps.prefix),
    audit,
    roles,
    suppressions: createSuppressionStore(deps.redis, deps.prefix),
    approvals: createApprovalStore(deps.redis, deps.prefix),
    tenants: indexTenants(deps.config),
    now,
    configFor,
    actorFor: async (userId, alert, tenantId) => {
      const tenant = alert ? alert.tenantId : tenantId;
      const held: Role[] = await roles.rolesOf(userId, configFor(tenant), alert?.kind === 'duet' ? alert.signal : undefined);
      return { userId, roles: held };
    },
    enqueue: async (job, options = {}) => {
      const data = ActionJobSchema.parse(job);
      await deps.queue.add(data.type, data, { ...ACTION_JOB_OPTIONS, ...options });
    },
    record: async (actor, entry) => {
      // Timers and auto-remediation act as Picket itself, never as a borrowed role.
      const system = actor === 'picket' || actor.userId === 'picket';
      const who = system ? { user: 'picket', role: 'system' } : { user: actor.userId, role: roleLabel(actor.roles) };
      await audit.record({ ...who, ...entry });
    },
  };
}
