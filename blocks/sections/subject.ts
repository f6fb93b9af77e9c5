/**
 * Who and what: the resource the finding is about and the principal behind it.
 * Every identifier is untrusted text and goes through `code()`.
 */
import type { Actor, ResourceRef } from '../../src/model/signal.js';
import { code, escapeFit, present } from '../escape.js';
import { LONG_TERM_KEY, TEMPORARY_KEY, resourceName } from '../values.js';

const MAX_TAGS = 5;

function joinPresent(parts: Array<string | undefined>, sep = ' · '): string | undefined {
  const kept = parts.filter((p): p is string => p !== undefined);
  return kept.length === 0 ? undefined : kept.join(sep);
}

/** `EC2 instance \`i-0abc\``, or just the type in code for types we do not know. */
export function resourceLabel(resource: ResourceRef | undefined): string | undefined {
  if (resource === undefined || resource === null) return undefined;
  const name = resourceName(resource.type);
  const kind = name ?? code(resource.type, 80);
  return joinPresent([kind, code(resource.id, 300)], ' ');
}

function tagLine(tags: unknown): string | undefined {
  if (typeof tags !== 'object' || tags === null) return undefined;
  const entries = Object.entries(tags).filter(([k, v]) => present(k) && present(v));
  if (entries.length === 0) return undefined;

  const shown = entries.slice(0, MAX_TAGS).map(([k, v]) => code(`${k}=${String(v)}`, 80));
  const more = entries.length > MAX_TAGS ? ` +${entries.length - MAX_TAGS} more` : '';
  return `Tags: ${shown.join(' ')}${more}`;
}

/** The resource section text, or undefined when the finding names no resource at all. */
export function resourceText(resource: ResourceRef | undefined): string | undefined {
  const label = resourceLabel(resource);
  const lines = [
    label === undefined ? undefined : `*Resource*  ${label}`,
    code(resource?.detail, 300),
    tagLine(resource?.tags),
  ].filter((l): l is string => l !== undefined);
  if (label === undefined) return lines.length === 0 ? undefined : `*Resource*\n${lines.join('\n')}`;
  return lines.join('\n');
}

/** A key id and what kind of key it is; the kind decides whether we offer to deactivate it. */
function keyLine(keyId: unknown): string | undefined {
  const shown = code(keyId, 140);
  if (shown === undefined || typeof keyId !== 'string') return undefined;
  const kind = LONG_TERM_KEY.test(keyId) ? ' (long-term key)' : TEMPORARY_KEY.test(keyId) ? ' (temporary key)' : '';
  return `*Access key*  ${shown}${kind}`;
}

function groupsLine(groups: unknown): string | undefined {
  if (!Array.isArray(groups)) return undefined;
  const shown = groups.slice(0, 5).map((g) => code(g, 80)).filter((g): g is string => g !== undefined);
  if (shown.length === 0) return undefined;
  const more = groups.length > 5 ? ` +${groups.length - 5} more` : '';
  return `*Groups*  ${shown.join(' ')}${more}`;
}

/** The actor section: user, role and session, access key, principal, groups. */
export function actorText(actor: Actor | undefined, signalAccount?: string): string | undefined {
  if (actor === undefined || actor === null || typeof actor !== 'object') return undefined;
  const account = actor.accountId !== signalAccount ? code(actor.accountId, 40) : undefined;
  const lines = [
    prefixed('User', joinPresent([code(actor.userName, 200), code(actor.type, 60)])),
    prefixed('Role', joinPresent([code(actor.roleName, 200), sessionOf(actor.sessionName)])),
    keyLine(actor.accessKeyId),
    prefixed('Principal', code(actor.arn, 300) ?? code(actor.principalId, 200)),
    prefixed('Actor account', account),
    groupsLine(actor.groups),
  ].filter((l): l is string => l !== undefined);
  return lines.length === 0 ? undefined : `*Actor*\n${lines.join('\n')}`;
}

function sessionOf(session: unknown): string | undefined {
  const shown = code(session, 200);
  return shown === undefined ? undefined : `session ${shown}`;
}

function prefixed(label: string, value: string | undefined): string | undefined {
  return value === undefined ? undefined : `*${label}*  ${value}`;
}

/** A short name for the actor, for the DUET question and fields (raw, not escaped). */
export function actorName(actor: Actor | undefined): string | undefined {
  if (actor === undefined || actor === null) return undefined;
  return present(actor.userName) ?? present(actor.roleName) ?? present(actor.principalId) ?? present(actor.arn);
}

/** Escaped short text of one raw value, for composing sentences. */
export function plainValue(v: unknown, max: number): string | undefined {
  const value = present(v);
  return value === undefined ? undefined : escapeFit(value, max);
}
