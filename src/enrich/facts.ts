/** What providers read from a signal: remote addresses, the principal, where it lives. */
import { isIP } from 'node:net';
import type { Signal } from '../model/signal.js';

export function remoteIps(signal: Signal): string[] {
  const ips = signal.remotes.map((r) => r.ip?.trim()).filter((ip): ip is string => ip !== undefined && isIP(ip) !== 0);
  return [...new Set(ips)];
}

export function remoteDomains(signal: Signal): string[] {
  const domains = signal.remotes.map((r) => r.domain?.trim().toLowerCase()).filter((d): d is string => d !== undefined && d.includes('.') && !d.endsWith('amazonaws.com'));
  return [...new Set(domains)];
}

export type PrincipalKind = 'user' | 'role' | 'key';

export interface Principal {
  kind: PrincipalKind;
  /** User name, role name or key id: the LookupEvents attribute value. */
  name: string;
}

/** The principal whose activity tells the story: the key when known, else the user or role. */
export function principalOf(signal: Signal): Principal | undefined {
  const actor = signal.actor;
  if (!actor) return undefined;
  if (actor.accessKeyId) return { kind: 'key', name: actor.accessKeyId };
  if (actor.roleName) return { kind: 'role', name: actor.roleName };
  if (actor.userName && isIamUser(signal)) return { kind: 'user', name: actor.userName };
  return undefined;
}

export function isIamUser(signal: Signal): boolean {
  return signal.actor?.type === 'IAMUser' && signal.actor.userName !== undefined;
}

/** Role name of an assumed-role actor, from the actor or its ARN. */
export function roleNameOf(signal: Signal): string | undefined {
  const actor = signal.actor;
  if (actor?.roleName) return actor.roleName;
  const m = /:assumed-role\/([^/]+)\//.exec(actor?.arn ?? '');
  return m?.[1];
}

/** When the finding happened: first seen, else event time or creation. */
export function anchorTime(signal: Signal, now: Date): { since: Date; until: Date } {
  const first = Date.parse(signal.firstSeen ?? signal.createdAt ?? '');
  const last = Date.parse(signal.lastSeen ?? signal.updatedAt ?? signal.firstSeen ?? '');
  const start = Number.isFinite(first) ? first : now.getTime();
  const end = Number.isFinite(last) ? last : start;
  return { since: new Date(Math.min(start, end)), until: new Date(Math.max(start, end)) };
}
