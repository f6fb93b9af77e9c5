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

/**
 * Rules read the same few nested fields (userIdentity.arn, userIdentity.type).
 * Getters are shared per path and remember their last result for one
 * evaluation epoch; every public entry point starts a new epoch, so a
 * document changed between calls is always read afresh.
 */
let epoch = 0;

export function nextEpoch(): void {
  epoch++;
}

const getters = new Map<string, Getter>();

/** One field of a document, read outside rule evaluation (templates, dedup keys). */
export function readPath(doc: Record<string, unknown>, path: string): unknown {
  nextEpoch();
  return compileGetter(path)(doc);
}

export function compileGetter(path: string): Getter {
  let getter = getters.get(path);
  if (!getter) {
    getter = makeGetter(path);
    getters.set(path, getter);
  }
  return getter;
}

function makeGetter(path: string): Getter {
  if (!path.includes('.')) return (doc) => own(doc, path);
  const keys = joinedKeys(path.split('.'));
  let lastDoc: Record<string, unknown> | undefined;
  let lastEpoch = -1;
  let last: unknown = MISSING;
  return (doc) => {
    if (doc === lastDoc && lastEpoch === epoch) return last;
    last = collect(doc, 0, keys);
    lastDoc = doc;
    lastEpoch = epoch;
    return last;
  };
}

/**
 * An own property of a parsed JSON object, or MISSING. JSON has no undefined
 * values, so a plain read decides, except for names the prototype supplies.
 */
function own(record: Record<string, unknown>, key: string): unknown {
  const value = record[key];
  if (value === undefined) return MISSING;
  if (typeof value === 'function' || (key === '__proto__' && !Object.hasOwn(record, key))) {
    return Object.hasOwn(record, key) ? value : MISSING;
  }
  return value;
}

/** keys[i][j] is segments i..j joined with dots, precomputed so lookups allocate nothing. */
function joinedKeys(segments: string[]): string[][] {
  return segments.map((_, i) => segments.slice(i).map((__, k) => segments.slice(i, i + k + 1).join('.')));
}

/** The value(s) at segments i.. of the path below `node`; allocates only when a path branches. */
function collect(node: unknown, i: number, keys: string[][]): unknown {
  if (node === null || typeof node !== 'object') return MISSING;
  if (Array.isArray(node)) {
    let found: unknown = MISSING;
    for (const element of node) found = merge(found, collect(element, i, keys));
    return found;
  }

  const record = node as Record<string, unknown>;
  const row = keys[i] as string[];
  const last = keys.length - 1;
  let found: unknown = MISSING;
  for (let k = 0; k < row.length; k++) {
    const value = own(record, row[k] as string);
    if (value === MISSING) continue;
    found = merge(found, i + k === last ? value : collect(value, i + k + 1, keys));
  }
  return found;
}

function merge(a: unknown, b: unknown): unknown {
  if (a === MISSING) return b;
  if (b === MISSING) return a;
  return new Multi([...(a instanceof Multi ? a.values : [a]), ...(b instanceof Multi ? b.values : [b])]);
}

/**
 * True when `test` holds for some scalar reached from `value`: elements of
 * arrays and leaves of objects count, so `requestParameters|contains: x` looks
 * inside the object the way a full-text search over the record would.
 */
export function anyLeaf(value: unknown, test: (scalar: unknown) => boolean): boolean {
  if (value === null || typeof value !== 'object') return test(value);
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
