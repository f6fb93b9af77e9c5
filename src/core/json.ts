/** Small, total helpers for walking untrusted JSON without casts. */

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Follow a dotted path through objects and arrays (`sourceIps.0`); undefined
 * as soon as a step is missing. Only own keys count, so a path can never land
 * on Object.prototype members such as `constructor`.
 */
export function at(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split('.')) {
    if (Array.isArray(current) && /^\d+$/.test(key)) current = current[Number(key)];
    else if (isObject(current) && Object.hasOwn(current, key)) current = current[key];
    else return undefined;
  }
  return current;
}

export function obj(value: unknown, path?: string): JsonObject | undefined {
  const found = path === undefined ? value : at(value, path);
  return isObject(found) ? found : undefined;
}

export function arr(value: unknown, path?: string): unknown[] {
  const found = path === undefined ? value : at(value, path);
  return Array.isArray(found) ? found : [];
}

/** A non-empty string form of a scalar; undefined for objects, arrays, null and ''. */
export function str(value: unknown, path?: string): string | undefined {
  const found = path === undefined ? value : at(value, path);
  if (typeof found === 'string') return found.length > 0 ? found : undefined;
  if (typeof found === 'number' && Number.isFinite(found)) return String(found);
  if (typeof found === 'boolean') return String(found);
  return undefined;
}

export function num(value: unknown, path?: string): number | undefined {
  const found = path === undefined ? value : at(value, path);
  if (typeof found === 'number') return Number.isFinite(found) ? found : undefined;
  if (typeof found === 'string' && found.trim() !== '') {
    const parsed = Number(found);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

/** true / 'true' / 'TRUE' are true; everything else is false. */
export function bool(value: unknown, path?: string): boolean {
  const found = path === undefined ? value : at(value, path);
  return found === true || (typeof found === 'string' && found.toLowerCase() === 'true');
}

/** The first defined result of the given lookups. */
export function first<T>(...values: (T | undefined)[]): T | undefined {
  for (const value of values) if (value !== undefined) return value;
  return undefined;
}
