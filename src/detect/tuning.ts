/**
 * Tuning as data: suppressions (a tenant mutes one rule for events matching
 * given field values, with an owner, a reason and an expiry), and the dedup
 * key and window of a rule. Pure functions; counts and storage live elsewhere.
 */

import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import type { LoadedRule } from './ruleset.js';
import { WINDOW_PATTERN } from './rule-schema.js';
import { MISSING, Multi, readPath, scalars } from './sigma/fields.js';
import { compileStringTest, parseSigmaString, type StringTest } from './sigma/strings.js';

export const suppressionSchema = z.strictObject({
  id: z.string().min(1),
  tenant: z.string().min(1),
  /** A rule id, or `*` for every rule. */
  ruleId: z.string().min(1),
  /** Field path → value or values (any of them); every field must match. Values take `*` and `?`. */
  match: z.record(z.string().min(1), z.union([z.string(), z.array(z.string()).min(1)])),
  owner: z.string().min(1),
  reason: z.string().min(1),
  expiresAt: z.iso.datetime({ offset: true }),
});

export type Suppression = z.output<typeof suppressionSchema>;

export interface ListedSuppression extends Suppression {
  state: 'active' | 'expired';
}

export interface Tuning {
  /** The first suppression of `tenant` that applies to this rule and event at `now`. */
  applySuppressions(rule: Pick<LoadedRule, 'id'>, doc: Record<string, unknown>, tenant: string, now?: Date): Suppression | undefined;
  /** Every suppression (of one tenant, if given), each marked active or expired at `now`. */
  listSuppressions(now?: Date, tenant?: string): ListedSuppression[];
}

/** Check stored suppressions; errors name the source, the item and the field. */
export function parseSuppressions(data: unknown, source: string): Suppression[] {
  const parsed = z.array(suppressionSchema).safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = (issue?.path ?? []).map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
  throw new ConfigError(source, field, issue?.message ?? 'invalid suppressions');
}

interface Compiled {
  suppression: Suppression;
  expiresMs: number;
  tests: Array<{ path: string; any: StringTest[] }>;
}

export function createTuning(suppressions: readonly Suppression[]): Tuning {
  const compiled = suppressions.map(compileSuppression);
  return {
    applySuppressions: (rule, doc, tenant, now = new Date()) =>
      compiled.find((c) => applies(c, rule.id, tenant, now) && matches(c, doc))?.suppression,
    listSuppressions: (now = new Date(), tenant) =>
      compiled
        .filter((c) => tenant === undefined || c.suppression.tenant === tenant)
        .map((c) => ({ ...c.suppression, state: now.getTime() >= c.expiresMs ? 'expired' : 'active' })),
  };
}

function compileSuppression(suppression: Suppression): Compiled {
  const tests = Object.entries(suppression.match).map(([path, value]) => ({
    path,
    any: (Array.isArray(value) ? value : [value]).map((v) => compileStringTest(parseSigmaString(v), false)),
  }));
  return { suppression, expiresMs: Date.parse(suppression.expiresAt), tests };
}

function applies(c: Compiled, ruleId: string, tenant: string, now: Date): boolean {
  const s = c.suppression;
  return s.tenant === tenant && (s.ruleId === '*' || s.ruleId === ruleId) && now.getTime() < c.expiresMs;
}

/** Every field holds a value (any element, for arrays) that one of the listed values matches. */
function matches(c: Compiled, doc: Record<string, unknown>): boolean {
  return c.tests.every(({ path, any }) =>
    scalars(readPath(doc, path)).some((v) => {
      const text = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
      return text !== undefined && any.some((t) => t(text));
    }),
  );
}

/**
 * The key under which repeats of a rule's hit are counted: the rule id and
 * the values of its `dedup.fields` (missing fields count as null), hashed.
 * The same rule and values give the same key in every process and release.
 */
export function dedupKey(rule: Pick<LoadedRule, 'id' | 'picket'>, doc: Record<string, unknown>): string | undefined {
  const fields = rule.picket.dedup?.fields;
  if (!fields) return undefined;
  const values = fields.map((path) => canonical(readPath(doc, path)));
  return createHash('sha256').update(JSON.stringify([rule.id, ...values])).digest('hex').slice(0, 32);
}

/** A JSON-ready form that does not depend on key order; missing and null are the same. */
function canonical(value: unknown): unknown {
  if (value === MISSING || value === undefined || value === null) return null;
  if (value instanceof Multi) return value.values.map(canonical);
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries(Object.keys(record).sort().map((k) => [k, canonical(record[k])]));
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `90s`, `15m`, `1h`, `7d` → seconds. */
export function parseWindow(text: string): number {
  const found = WINDOW_PATTERN.exec(text);
  if (!found) throw new ConfigError('(rule)', 'picket.dedup.window', `expected a number and a unit s, m, h or d, got "${text}"`);
  return Number(found[1]) * (UNIT_SECONDS[found[2] as string] ?? 1);
}
