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
    last = collect(doc, keys);
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

/**
 * The value(s) at the path below `root`. The common case, one object per
 * level and no arrays, is a plain loop that allocates nothing; anything
 * else takes the general walk. Neither recurses, so nesting depth (a
 * 10,000-deep array in a finding) costs time, never the stack.
 */
function collect(root: unknown, keys: string[][]): unknown {
  const last = keys.length - 1;
  let node = root;
  for (let i = 0; ; ) {
    if (node === null || typeof node !== 'object') return MISSING;
    if (Array.isArray(node)) return collectAll(root, keys);
    const row = keys[i] as string[];
    let hit = -1;
    let value: unknown = MISSING;
    for (let k = 0; k < row.length; k++) {
      const v = own(node as Record<string, unknown>, row[k] as string);
      if (v === MISSING) continue;
      if (hit >= 0) return collectAll(root, keys);
      hit = k;
      value = v;
    }
    if (hit < 0) return MISSING;
    if (i + hit === last) return value;
    node = value;
    i += hit + 1;
  }
}

/** Every value the path reaches, through arrays and ambiguous dotted keys, in document order. */
function collectAll(root: unknown, keys: string[][]): unknown {
  const last = keys.length - 1;
  const found: unknown[] = [];
  // Entries are a node still to walk at segment `i`, or (i = -1) a value reached.
  const stack: Array<{ node: unknown; i: number }> = [{ node: root, i: 0 }];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const { node, i } = top;
    if (i < 0) found.push(node);
    else if (Array.isArray(node)) for (let k = node.length - 1; k >= 0; k--) stack.push({ node: node[k], i });
    else if (node !== null && typeof node === 'object') pushMembers(node as Record<string, unknown>, i, keys, last, stack);
  }
  if (found.length === 0) return MISSING;
  return found.length === 1 ? found[0] : new Multi(found);
}

function pushMembers(
  record: Record<string, unknown>,
  i: number,
  keys: string[][],
  last: number,
  stack: Array<{ node: unknown; i: number }>,
): void {
  const row = keys[i] as string[];
  for (let k = row.length - 1; k >= 0; k--) {
    const value = own(record, row[k] as string);
    if (value !== MISSING) stack.push({ node: value, i: i + k === last ? -1 : i + k + 1 });
  }
}

/**
 * True when `test` holds for some scalar reached from `value`: elements of
 * arrays and leaves of objects count, so `requestParameters|contains: x` looks
 * inside the object the way a full-text search over the record would. The
 * walk keeps its own stack, in document order, so depth never overflows.
 */
export function anyLeaf(value: unknown, test: (scalar: unknown) => boolean): boolean {
  if (value === null || typeof value !== 'object') return test(value);
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object') {
      if (test(v)) return true;
    } else {
      const children = v instanceof Multi ? v.values : Array.isArray(v) ? v : Object.values(v);
      for (let k = children.length - 1; k >= 0; k--) stack.push(children[k]);
    }
  }
  return false;
}

/** Like anyLeaf, but through arrays (and Multi) only: an object is not a value, so it never passes `test`. */
export function anyElement(value: unknown, test: (scalar: unknown) => boolean): boolean {
  if (value === null || typeof value !== 'object') return test(value);
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object') {
      if (test(v)) return true;
    } else if (v instanceof Multi || Array.isArray(v)) {
      const children = v instanceof Multi ? v.values : v;
      for (let k = children.length - 1; k >= 0; k--) stack.push(children[k]);
    }
  }
  return false;
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
