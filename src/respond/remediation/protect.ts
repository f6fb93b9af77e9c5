import type { ResponseConfig } from '../../config/response-schema.js';

/**
 * Whether a principal is on the tenant's protect list. An entry may name the
 * IAM user, the role, the principal ARN or the key id; any one matching is
 * enough, so a list written with ARNs still protects a key seen by id.
 */
export interface PrincipalRef {
  userName?: string;
  roleName?: string;
  arn?: string;
  keyId?: string;
}

export function isProtected(config: ResponseConfig | undefined, principal: PrincipalRef): boolean {
  const entries = new Set(config?.protect ?? []);
  const names = [principal.userName, principal.roleName, principal.arn, principal.keyId].filter((n): n is string => !!n);
  if (names.some((n) => entries.has(n))) return true;
  // `arn:aws:iam::123456789012:user/path/alice` protects alice wherever she appears.
  return [...entries].some((e) => arnNames(e).some((n) => n === principal.userName || n === principal.roleName));
}

function arnNames(entry: string): string[] {
  const match = /^arn:aws[a-z-]*:(?:iam|sts)::\d{12}:(?:user|role|assumed-role)\/(?:.*\/)?([^/]+?)(?:\/[^/]*)?$/.exec(entry);
  return match?.[1] ? [match[1]] : [];
}
