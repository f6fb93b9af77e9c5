/**
 * Hunt files to compiled hunts. The Sigma part goes through the rule
 * compiler unchanged; the `hunt:` section is checked here. Every problem is
 * collected and named by file and spot, as the rule loader does.
 */

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineCounter, parseDocument } from 'yaml';
import { errorMessage } from '../core/errors.js';
import { RuleLoadFailure, type LoadedRule, type RuleLoadError } from '../detect/ruleset.js';
import { describeSpot } from '../detect/sigma/locate.js';
import { compileRuleText } from '../detect/sigma/rule.js';
import { huntSectionSchema, type HuntSection } from './schema.js';

export interface Hunt {
  /** The file name without extension: what people type. */
  id: string;
  /** The Sigma rule id. */
  uuid: string;
  title: string;
  file: string;
  description?: string;
  level: LoadedRule['level'];
  tags: string[];
  falsepositives: string[];
  spec: HuntSection;
  match(doc: Record<string, unknown>): boolean;
}

export interface HuntSet {
  hunts: Hunt[];
  errors: RuleLoadError[];
  /** By id (file name) or Sigma UUID. */
  find(idOrUuid: string): Hunt | undefined;
}

export const DEFAULT_HUNTS_DIR = fileURLToPath(new URL('../../hunts', import.meta.url));

export type CompileHuntResult = { ok: true; hunt: Hunt } | { ok: false; errors: RuleLoadError[] };

export function compileHuntText(text: string, file: string): CompileHuntResult {
  const compiled = compileRuleText(text, file);
  if (!compiled.ok) return compiled;
  const rule = compiled.rule;

  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const raw: unknown = doc.toJS({ maxAliasCount: 100 });
  const at = (path: (string | number)[]) => describeSpot(doc, path, lines);
  const errors: RuleLoadError[] = shapeErrors(raw, rule, file).map((e) => ({ file, where: at(e.path), message: e.message }));

  const section = huntSectionSchema.safeParse(isRecord(raw) ? raw.hunt : undefined);
  const hasSection = isRecord(raw) && raw.hunt !== undefined;
  if (!section.success && hasSection) {
    for (const issue of section.error.issues) {
      const path = ['hunt', ...issue.path.filter((s): s is string | number => typeof s !== 'symbol')];
      errors.push({ file, where: at(path), message: issue.message });
    }
  } else if (section.success) {
    errors.push(...techniqueErrors(section.data, rule).map((message) => ({ file, where: at(['tags']), message })));
  }

  if (errors.length > 0 || !section.success) return { ok: false, errors };
  return { ok: true, hunt: assemble(rule, section.data, file) };
}

/** Throws RuleLoadFailure (a ConfigError) naming every problem. */
export function compileHunt(text: string, file: string): Hunt {
  const result = compileHuntText(text, file);
  if (!result.ok) throw new RuleLoadFailure(result.errors);
  return result.hunt;
}

function shapeErrors(raw: unknown, rule: LoadedRule, file: string): { path: string[]; message: string }[] {
  const out: { path: string[]; message: string }[] = [];
  if (isRecord(raw) && raw.picket !== undefined) out.push({ path: ['picket'], message: 'a hunt raises no alert: move alerting to a rule in rules/ and drop picket:' });
  if (rule.service !== 'cloudtrail') out.push({ path: ['logsource', 'service'], message: 'hunts search CloudTrail: expected service cloudtrail' });
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(huntIdOf(file))) out.push({ path: [], message: 'the file name is the hunt id: use kebab-case, e.g. root-activity.yml' });
  if (!isRecord(raw) || raw.hunt === undefined) out.push({ path: [], message: 'a hunt file needs a hunt: section' });
  return out;
}

/** The technique the hunt names must also be among its ATT&CK tags, so lists and filters agree. */
function techniqueErrors(spec: HuntSection, rule: LoadedRule): string[] {
  const tag = `attack.${spec.technique.toLowerCase()}`;
  return rule.tags.some((t) => t.toLowerCase() === tag) ? [] : [`hunt.technique is ${spec.technique} but tags lack ${tag}`];
}

function assemble(rule: LoadedRule, spec: HuntSection, file: string): Hunt {
  const hunt: Hunt = {
    id: huntIdOf(file),
    uuid: rule.id,
    title: rule.title,
    file,
    level: rule.level,
    tags: rule.tags,
    falsepositives: rule.falsepositives,
    spec,
    match: rule.match,
  };
  if (rule.description !== undefined) hunt.description = rule.description.trim();
  return hunt;
}

export function huntIdOf(file: string): string {
  return basename(file, extname(file));
}

export function loadHunts(dirs: string[] = [DEFAULT_HUNTS_DIR]): HuntSet {
  const errors: RuleLoadError[] = [];
  const hunts: Hunt[] = [];
  for (const file of dirs.flatMap((dir) => huntFiles(dir, errors))) {
    const text = readText(file, errors);
    if (text === undefined) continue;
    const result = compileHuntText(text, file);
    if (!result.ok) errors.push(...result.errors);
    else addUnique(hunts, result.hunt, errors);
  }
  return buildHuntSet(hunts, errors);
}

export function buildHuntSet(hunts: Hunt[], errors: RuleLoadError[] = []): HuntSet {
  return {
    hunts,
    errors,
    find: (key) => hunts.find((h) => h.id === key || h.uuid.toLowerCase() === key.toLowerCase()),
  };
}

function addUnique(hunts: Hunt[], hunt: Hunt, errors: RuleLoadError[]): void {
  const clash = hunts.find((h) => h.id === hunt.id || h.uuid === hunt.uuid);
  if (!clash) {
    hunts.push(hunt);
    return;
  }
  const what = clash.id === hunt.id ? `hunt id ${hunt.id}` : `id ${hunt.uuid}`;
  errors.push({ file: hunt.file, where: clash.id === hunt.id ? '(root)' : 'id', message: `${what} is already used by ${clash.file}` });
}

function huntFiles(path: string, errors: RuleLoadError[]): string[] {
  try {
    if (statSync(path).isFile()) return [path];
    const entries = readdirSync(path, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    return entries.flatMap((entry) => {
      if (entry.name.startsWith('.')) return [];
      const full = join(path, entry.name);
      if (entry.isDirectory()) return huntFiles(full, errors);
      return /\.ya?ml$/i.test(entry.name) ? [full] : [];
    });
  } catch (err: unknown) {
    errors.push({ file: path, where: '(root)', message: `cannot read: ${errorMessage(err)}` });
    return [];
  }
}

function readText(file: string, errors: RuleLoadError[]): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (err: unknown) {
    errors.push({ file, where: '(root)', message: `cannot read: ${errorMessage(err)}` });
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
