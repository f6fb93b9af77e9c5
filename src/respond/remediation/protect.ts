import type { ResponseConfig } from '../../config/response-schema.js';

/**
 * Whether a principal is on the tenant's protect list. An entry may name the
 * IAM user, the role, the principal ARN (a user, role or assumed-role ARN) or
 * the key id; any one matching is enough, so a list written with ARNs still
 * protects a key seen by id. IAM user and role names are unique regardless of
 * case, so `Build-Bot` on the list protects `build-bot`.
 */
export interface PrincipalRef {
  userName?: string;
  roleName?: string;
  arn?: string;
  keyId?: string;
}

export function isProtected(config: ResponseConfig | undefined, principal: PrincipalRef): boolean {
  const names = new Set([principal.userName, principal.roleName, ...arnNames(principal.arn ?? '')].filter((n): n is string => !!n).map(fold));
  const keyId = principal.keyId?.toUpperCase();
  return (config?.protect ?? []).some((entry) => {
    if (keyId !== undefined && entry.toUpperCase() === keyId) return true;
    const entryNames = entry.startsWith('arn:') ? arnNames(entry) : [entry];
    return entryNames.some((n) => names.has(fold(n)));
  });
}

function fold(name: string): string {
  return name.toLowerCase();
}

/**
 * The user or role an ARN names: the last path segment of `user/…` and
 * `role/…`, and the role (not the session) of `assumed-role/<role>/<session>`.
 */
export function arnNames(arn: string): string[] {
  const match = /^arn:aws[a-z-]*:(?:iam|sts)::\d{12}:(user|role|assumed-role)\/(.+)$/.exec(arn);
  const kind = match?.[1];
  const rest = match?.[2]?.split('/').filter((s) => s !== '') ?? [];
  const name = kind === 'assumed-role' ? rest[0] : rest.at(-1);
  return name ? [name] : [];
}
