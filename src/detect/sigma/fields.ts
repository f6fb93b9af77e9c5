/**
 * Field access for Sigma matching. A dotted path walks nested objects and the
 * elements of arrays on the way; a key that literally contains the dot is
 * tried as well, because some log shippers flatten nested keys.
 */

/** The field is not in the document. */
export const MISSING: unique symbol = Symbol('missing');

/** Several values reached by one path (through arrays or ambiguous dotted keys). */
export class Multi {
  constructor(readonly values: unknown[]) {}
}

export type Getter = (doc: Record<string, unknown>) => unknown;

export function compileGetter(path: string): Getter {
  if (!path.includes('.')) {
    return (doc) => (Object.hasOwn(doc, path) ? doc[path] : MISSING);
  }
  const keys = joinedKeys(path.split('.'));
  return (doc) => {
    const out: unknown[] = [];
    collect(doc, 0, keys, out);
    if (out.length === 0) return MISSING;
    return out.length === 1 ? out[0] : new Multi(out);
  };
}

/** keys[i][j] is segments i..j joined with dots, precomputed so lookups allocate nothing. */
function joinedKeys(segments: string[]): string[][] {
  return segments.map((_, i) => segments.slice(i).map((__, k) => segments.slice(i, i + k + 1).join('.')));
}

function collect(node: unknown, i: number, keys: string[][], out: unknown[]): void {
  if (Array.isArray(node)) {
    for (const element of node) collect(element, i, keys, out);
    return;
  }
  if (node === null || typeof node !== 'object') return;

  const record = node as Record<string, unknown>;
  const row = keys[i] ?? [];
  const last = keys.length - 1;
  for (let k = 0; k < row.length; k++) {
    const key = row[k] as string;
    if (!Object.hasOwn(record, key)) continue;
    if (i + k === last) out.push(record[key]);
    else collect(record[key], i + k + 1, keys, out);
  }
}

/**
 * True when `test` holds for some scalar reached from `value`: elements of
 * arrays and leaves of objects count, so `requestParameters|contains: x` looks
 * inside the object the way a full-text search over the record would.
 */
export function anyLeaf(value: unknown, test: (scalar: unknown) => boolean): boolean {
  if (value instanceof Multi) return value.values.some((v) => anyLeaf(v, test));
  if (Array.isArray(value)) return value.some((v) => anyLeaf(v, test));
  if (value !== null && typeof value === 'object') {
    for (const key in value) {
      if (anyLeaf((value as Record<string, unknown>)[key], test)) return true;
    }
    return false;
  }
  return test(value);
}

/** The scalars of a resolved value, flattened, for templates and dedup keys. */
export function scalars(value: unknown): unknown[] {
  if (value === MISSING) return [];
  const out: unknown[] = [];
  anyLeaf(value, (s) => {
    out.push(s);
    return false;
  });
  return out;
}
