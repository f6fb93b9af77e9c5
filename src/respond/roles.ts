import type { Redis } from 'ioredis';
import type { IdentityMap, ResponseConfig, RoleMembers } from '../config/response-schema.js';
import { LogField, type Logger } from '../core/log.js';
import type { Signal } from '../model/signal.js';
import { respondKeys } from './keys.js';
import type { Role } from './types.js';

/**
 * Who someone is for one tenant. User-group membership comes from Slack and is
 * cached briefly; when Slack cannot say, the person is treated as not a member
 * (fail closed), never as one.
 */

export interface GroupSource {
  /** Member user ids of a Slack user group. */
  members(groupId: string): Promise<string[]>;
}

export interface RoleResolver {
  rolesOf(userId: string, config: ResponseConfig | undefined, signal?: Signal): Promise<Role[]>;
}

const GROUP_CACHE_SECONDS = 300;

export interface SlackUsergroups {
  usergroups: { users: { list(args: { usergroup: string }): Promise<{ ok?: boolean; users?: string[] }> } };
}

/** Membership from `usergroups.users.list`, cached in Redis for five minutes. */
export function slackGroupSource(slack: SlackUsergroups, redis: Redis, prefix: string, log: Logger): GroupSource {
  const keys = respondKeys(prefix);
  return {
    members: async (groupId) => {
      const cached = await redis.smembers(keys.groupMembers(groupId));
      if (cached.length > 0) return cached.filter((m) => m !== '');
      try {
        const reply = await slack.usergroups.users.list({ usergroup: groupId });
        const users = reply.users ?? [];
        // An empty marker keeps an empty group cached too.
        await redis.multi().sadd(keys.groupMembers(groupId), '', ...users).expire(keys.groupMembers(groupId), GROUP_CACHE_SECONDS).exec();
        return users;
      } catch (err) {
        log.warn('cannot read user-group members; treating as not a member', { groupId, [LogField.error]: err });
        return [];
      }
    },
  };
}

export function createRoleResolver(groups: GroupSource): RoleResolver {
  const holds = async (userId: string, members: RoleMembers): Promise<boolean> => {
    if (members.users.includes(userId)) return true;
    for (const group of members.groups) {
      if ((await groups.members(group)).includes(userId)) return true;
    }
    return false;
  };

  return {
    rolesOf: async (userId, config, signal) => {
      if (!config) return [];
      const roles: Role[] = [];
      if (await holds(userId, config.roles.analyst)) roles.push('analyst');
      if (await holds(userId, config.roles.responder)) roles.push('responder');
      if (await holds(userId, config.roles.contacts)) roles.push('contact');
      if (signal && mappedSlackUsers(signal, config.identity_map).includes(userId)) roles.push('actor');
      return roles;
    },
  };
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const EMAIL_TAG = /e-?mail|owner/i;

/**
 * The Slack users the identity map ties to the signal's principal: by IAM
 * user name, by role session name, or by an email (a session name that is an
 * address, as with IAM Identity Center, or an email/owner tag).
 */
export function mappedSlackUsers(signal: Signal, map: IdentityMap): string[] {
  const actor = signal.actor;
  const found = new Set<string>();
  const add = (table: Record<string, string>, key: string | undefined) => {
    if (key !== undefined && Object.hasOwn(table, key)) found.add(table[key] as string);
  };

  add(map.iam_users, actor?.userName);
  add(map.role_sessions, actor?.sessionName);
  const emails = Object.fromEntries(Object.entries(map.emails).map(([k, v]) => [k.toLowerCase(), v]));
  for (const email of emailsOf(signal)) add(emails, email);
  return [...found];
}

function emailsOf(signal: Signal): string[] {
  const emails: string[] = [];
  const session = signal.actor?.sessionName;
  if (session && EMAIL.test(session)) emails.push(session.toLowerCase());
  for (const [key, value] of Object.entries(signal.resource.tags ?? {})) {
    if (EMAIL_TAG.test(key) && EMAIL.test(value)) emails.push(value.toLowerCase());
  }
  return emails;
}
