import { isObject } from '../core/json.js';

/**
 * SDK and CLI GetFindings output uses PascalCase keys; the S3 export and
 * EventBridge use camelCase. Rules and the normalizer see one form: camelCase.
 */
export function camelizeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelizeKeys);
  if (!isObject(value)) return value;

  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    // An own property even for "__proto__": assignment would set the prototype instead.
    Object.defineProperty(out, camelKey(key), { value: camelizeKeys(inner), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * Only schema keys are PascalCase identifiers. Map keys such as
 * `AffectedResources`' "AWS::IAM::Role" are data and appear verbatim in the
 * camelCase export too, so they are left as they are.
 */
function camelKey(key: string): string {
  if (!/^[A-Z][A-Za-z0-9]*$/.test(key)) return key;
  return key.charAt(0).toLowerCase() + key.slice(1);
}

/** A finding is PascalCase when its identifying keys are. */
export function looksPascalFinding(value: Record<string, unknown>): boolean {
  return ['Id', 'Type', 'SchemaVersion', 'Resource', 'Service', 'AccountId'].some((k) => k in value);
}
