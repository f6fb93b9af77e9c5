import { z } from 'zod';

/**
 * Per-tenant response settings: who may act, who the actors are in Slack,
 * what must never be touched without a second pair of eyes, and the timers.
 * Everything defaults to the safe side: no roles means nobody may act,
 * auto-remediation is off, the two-person rule is off but the protect list
 * still refuses remediation outright.
 */

const userId = z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'a Slack user id such as U0123ABCD');
const groupId = z.string().regex(/^S[A-Z0-9]{2,}$/, 'a Slack user-group id such as S0123ABCD');

export const RoleMembersSchema = z.strictObject({
  users: z.array(userId).default([]),
  groups: z.array(groupId).default([]),
});

const emptyMembers = { users: [], groups: [] };

export const ResponseRolesSchema = z.strictObject({
  analyst: RoleMembersSchema.default(emptyMembers),
  responder: RoleMembersSchema.default(emptyMembers),
  contacts: RoleMembersSchema.default(emptyMembers),
});

/** An AWS identity seen in findings → the person it belongs to in Slack. */
export const IdentityMapSchema = z.strictObject({
  iam_users: z.record(z.string().min(1), userId).default({}),
  role_sessions: z.record(z.string().min(1), userId).default({}),
  emails: z.record(z.string().email(), userId).default({}),
});

export const AutoRemediationSchema = z.strictObject({
  rule: z.string().min(1),
  action: z.enum(['deactivate_key']),
});

export const ResponseSchema = z.strictObject({
  roles: ResponseRolesSchema.default({ analyst: emptyMembers, responder: emptyMembers, contacts: emptyMembers }),
  identity_map: IdentityMapSchema.default({ iam_users: {}, role_sessions: {}, emails: {} }),
  /** IAM user names, role names, principal ARNs or access key ids that remediation must not touch alone. */
  protect: z.array(z.string().min(1)).default([]),
  two_person: z
    .strictObject({
      enabled: z.boolean().default(false),
      window_minutes: z.number().int().min(1).max(24 * 60).default(30),
    })
    .default({ enabled: false, window_minutes: 30 }),
  ack_escalation: z
    .strictObject({
      after_minutes: z.number().int().min(1).max(7 * 24 * 60).default(30),
      oncall_group: groupId.optional(),
    })
    .default({ after_minutes: 30 }),
  duet: z
    .strictObject({
      reminder_minutes: z.number().int().min(1).max(7 * 24 * 60).default(60),
      timeout_minutes: z.number().int().min(1).max(14 * 24 * 60).default(240),
    })
    .refine((d) => d.reminder_minutes < d.timeout_minutes, { message: 'reminder_minutes below timeout_minutes' })
    .default({ reminder_minutes: 60, timeout_minutes: 240 }),
  suppression_days: z.number().int().min(1).max(365).default(30),
  auto_remediate: z.array(AutoRemediationSchema).default([]),
});

export type ResponseConfig = z.infer<typeof ResponseSchema>;
export type RoleMembers = z.infer<typeof RoleMembersSchema>;
export type IdentityMap = z.infer<typeof IdentityMapSchema>;

/** The settings a tenant gets when it declares none: nobody may act, nothing runs on its own. */
export function defaultResponseConfig(): ResponseConfig {
  return ResponseSchema.parse({});
}
