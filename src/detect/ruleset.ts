/**
 * The rule set: every rule file under the given folders, compiled once, and
 * indexed (sigma/rule-index.ts) so an event only meets the rules that could
 * match it.
 */

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ConfigError } from '../core/errors.js';
import type { SeverityLabel } from '../model/signal.js';
import type { PicketSection } from './rule-schema.js';
import { MISSING, Multi, readPath } from './sigma/fields.js';
import { RuleIndex } from './sigma/rule-index.js';
import { compileRuleText } from './sigma/rule.js';

export type { PicketSection } from './rule-schema.js';

export interface LoadedRule {
  id: string;
  title: string;
  file: string;
  service: 'cloudtrail' | 'guardduty' | string;
  level: SeverityLabel;
  status?: string;
  tags: string[];
  description?: string;
  falsepositives: string[];
  /** With defaults applied: route 'soc', opt_in false, runbook [], tests []. */
  picket: PicketSection;
  match(doc: Record<string, unknown>): boolean;
}

export interface RuleSet {
  rules: LoadedRule[];
  errors: RuleLoadError[];
  /** The rules of `service` the index says could match `doc`, in load order. */
  candidates(service: string, doc: Record<string, unknown>): LoadedRule[];
  /** The rules of `service` that match `doc`, in load order. */
  evaluate(service: string, doc: Record<string, unknown>): LoadedRule[];
}

export interface RuleLoadError {
  file: string;
  /** Field path and line, e.g. `detection.selection.eventName|foo (line 12)`. */
  where: string;
  message: string;
}

/** A rule file (or, in strict mode, a rule set) that does not load; every problem is in `errors`. */
export class RuleLoadFailure extends ConfigError {
  readonly errors: RuleLoadError[];

  constructor(errors: RuleLoadError[]) {
    const first = errors[0] ?? { file: '(none)', where: '', message: 'no rule' };
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    super(first.file, first.where, first.message + more);
    this.errors = errors;
  }
}

/** The GuardDuty finding-type catalogue sits beside the rules but is not one. */
const CATALOGUE = join('guardduty', 'finding-types.yml');

export function loadRuleSet(dirs: string[], opts: { strict?: boolean } = {}): RuleSet {
  const errors: RuleLoadError[] = [];
  const rules: LoadedRule[] = [];
  const ids = new Map<string, string>();

  for (const file of dirs.flatMap((dir) => ruleFiles(dir, errors))) {
    const text = readText(file, errors);
    if (text === undefined) continue;
    const result = compileRuleText(text, file);
    if (!result.ok) {
      errors.push(...result.errors);
      continue;
    }
    const prior = ids.get(result.rule.id);
    if (prior) {
      errors.push({ file, where: idSpot(text), message: `id ${result.rule.id} is already used by ${prior}` });
      continue;
    }
    ids.set(result.rule.id, file);
    rules.push(result.rule);
  }

  if (opts.strict && errors.length > 0) throw new RuleLoadFailure(errors);
  return buildRuleSet(rules, errors);
}

export function compileRule(text: string, file: string): LoadedRule {
  const result = compileRuleText(text, file);
  if (!result.ok) throw new RuleLoadFailure(result.errors);
  return result.rule;
}

function ruleFiles(path: string, errors: RuleLoadError[]): string[] {
  let entries;
  try {
    if (statSync(path).isFile()) return [path];
    entries = readdirSync(path, { withFileTypes: true });
  } catch (err: unknown) {
    errors.push({ file: path, where: '(root)', message: `cannot read: ${(err as Error).message}` });
    return [];
  }

  const out: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    const full = join(path, entry.name);
    if (entry.isDirectory()) out.push(...ruleFiles(full, errors));
    else if (/\.ya?ml$/i.test(entry.name) && !isCatalogue(full)) out.push(full);
  }
  return out;
}

function isCatalogue(file: string): boolean {
  return join(basename(dirname(file)), basename(file)) === CATALOGUE;
}

function readText(file: string, errors: RuleLoadError[]): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (err: unknown) {
    errors.push({ file, where: '(root)', message: `cannot read: ${(err as Error).message}` });
    return undefined;
  }
}

function idSpot(text: string): string {
  const at = text.search(/^id\s*:/m);
  return at < 0 ? 'id' : `id (line ${text.slice(0, at).split('\n').length})`;
}

export function buildRuleSet(rules: LoadedRule[], errors: RuleLoadError[] = []): RuleSet {
  const index = new RuleIndex(rules);
  return {
    rules,
    errors,
    candidates: (service, doc) => index.candidates(service, doc),
    evaluate: (service, doc) => index.evaluate(service, doc),
  };
}

/** `{a.b}` becomes the field's value; a field that is missing or null renders as `unknown`. */
export function renderTemplate(template: string, doc: Record<string, unknown>): string {
  return template.replace(/\{([A-Za-z0-9_.@$:-]+)\}/g, (_, path: string) => renderValue(readPath(doc, path)));
}

function renderValue(value: unknown): string {
  if (value === MISSING || value === null || value === undefined) return 'unknown';
  if (value instanceof Multi) return renderValue(value.values);
  if (Array.isArray(value)) {
    const parts = value.map(renderValue).filter((p) => p !== 'unknown');
    return parts.length > 0 ? parts.join(', ') : 'unknown';
  }
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
