import type { ResponseAction, Role } from './types.js';

/**
 * The one table that says who may do what. Anything not listed is refused:
 * a new action starts out allowed to nobody.
 */
export const PERMISSIONS: Record<ResponseAction, readonly Role[]> = {
  acknowledge: ['analyst'],
  assign: ['analyst'],
  investigate: ['analyst'],
  query_cloudtrail: ['analyst'],
  close: ['analyst'],
  deactivate_key: ['responder'],
  reactivate_key: ['responder'],
  revoke_sessions: ['responder'],
  approve_remediation: ['responder'],
  duet_answer: ['contact', 'actor'],
  // Only the person who answered Yes is offered a suppression; the role check is the floor.
  suppress: ['contact', 'actor'],
  suppression_list: ['analyst', 'responder'],
  suppression_revoke: ['analyst'],
  audit_view: ['analyst', 'responder'],
  detections_view: ['analyst', 'responder', 'contact'],
};

export interface Verdict {
  allowed: boolean;
  /** The role that granted it, or the best description of the caller when refused. */
  role: Role | 'none';
  reason?: string;
}

export function authorize(action: ResponseAction, roles: readonly Role[]): Verdict {
  const allowedRoles = PERMISSIONS[action];
  const granting = allowedRoles.find((role) => roles.includes(role));
  if (granting) return { allowed: true, role: granting };
  return {
    allowed: false,
    role: roles[0] ?? 'none',
    reason: `${action.replace(/_/g, ' ')} needs the ${allowedRoles.join(' or ')} role for this tenant`,
  };
}

/** The caller's role as the audit trail shows it: every role held, or `none`. */
export function roleLabel(roles: readonly Role[]): string {
  return roles.length === 0 ? 'none' : roles.join('+');
}
