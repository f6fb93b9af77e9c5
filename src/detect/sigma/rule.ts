/**
 * One rule file to one compiled rule: YAML with line positions, the header
 * and `picket:` checked by schema, the detection compiled to a closure. Every
 * problem found is returned, each naming the spot in the file.
 */

import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import type { z } from 'zod';
import type { SeverityLabel } from '../../model/signal.js';
import { picketSchema, sigmaHeaderSchema, type SigmaHeader } from '../rule-schema.js';
import type { LoadedRule, RuleLoadError } from '../ruleset.js';
import { compileDetection, type Pins } from './detection.js';
import type { Probe } from './field-item.js';
import { RuleSyntaxError, type PathSeg } from './errors.js';
import { nextEpoch } from './fields.js';
import { describeSpot } from './locate.js';

export type CompileResult = { ok: true; rule: LoadedRule } | { ok: false; errors: RuleLoadError[] };

const LEVEL_LABELS: Record<SigmaHeader['level'], SeverityLabel> = {
  informational: 'Informational',
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'Critical',
};

/** What the index needs to know about a compiled rule, kept off the public shape. */
const PINS = new WeakMap<LoadedRule, Pins>();

export function pinsOf(rule: LoadedRule): Pins | undefined {
  return PINS.get(rule);
}

const PROBES = new WeakMap<LoadedRule, Probe>();

export function probeOf(rule: LoadedRule): Probe | undefined {
  return PROBES.get(rule);
}

/** The matcher without its epoch start, for a rule set that starts one epoch per event. */
const INNER = new WeakMap<LoadedRule, LoadedRule['match']>();

export function innerMatcher(rule: LoadedRule): LoadedRule['match'] {
  return INNER.get(rule) ?? ((doc) => rule.match(doc));
}

export function compileRuleText(text: string, file: string): CompileResult {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: true });
  const doc = Array.isArray(docs) ? docs[0] : undefined;
  const fail = (message: string, where = '(root)'): CompileResult => ({ ok: false, errors: [{ file, where, message }] });

  if (!Array.isArray(docs) || !doc) return fail('the file holds no YAML document');
  if (docs.length > 1) return fail('multi-document files (Sigma rule collections) are not supported; one rule per file');
  const yamlError = doc.errors[0];
  if (yamlError) {
    const where = yamlError.linePos ? `line ${yamlError.linePos[0].line}` : '(root)';
    const first = (yamlError.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:$/, '');
    return fail(`YAML: ${first}`, where);
  }
  return compileDocument(doc, lines, file);
}

function compileDocument(doc: Document, lines: LineCounter, file: string): CompileResult {
  const spot = (path: PathSeg[]) => describeSpot(doc, path, lines);
  const raw: unknown = doc.toJS({ maxAliasCount: 100 });
  const notSupported = unsupportedShape(raw);
  if (notSupported) return { ok: false, errors: [{ file, where: spot([]), message: notSupported }] };

  const header = sigmaHeaderSchema.safeParse(raw);
  const picket = picketSchema.safeParse(isRecord(raw) && raw.picket !== undefined ? raw.picket : {});
  const errors = [
    ...(header.success ? [] : zodErrors(header.error, [], file, spot)),
    ...(picket.success ? [] : zodErrors(picket.error, ['picket'], file, spot)),
  ];

  let detection: ReturnType<typeof compileDetection> | undefined;
  try {
    if (isRecord(raw) && isRecord(raw.detection)) detection = compileDetection(raw.detection, ['detection']);
  } catch (err: unknown) {
    if (!(err instanceof RuleSyntaxError)) throw err;
    errors.push({ file, where: spot(err.path), message: err.message });
  }

  if (errors.length > 0 || !header.success || !picket.success || !detection) return { ok: false, errors };
  const inner = detection.match;
  const rule = assemble(header.data, picket.data, (doc) => {
    nextEpoch();
    return inner(doc);
  }, file);
  PINS.set(rule, detection.pins);
  INNER.set(rule, inner);
  if (detection.probe) PROBES.set(rule, detection.probe);
  return { ok: true, rule };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Sigma documents that are not single detection rules: refuse them by name. */
function unsupportedShape(raw: unknown): string | undefined {
  if (!isRecord(raw)) return 'a rule file is a YAML map';
  if ('correlation' in raw) return 'correlation rules are not supported';
  if ('action' in raw) return 'rule collections (action: global/reset/repeat) are not supported';
  if ('filter' in raw && !('detection' in raw)) return 'Sigma filter documents are not supported';
  return undefined;
}

function zodErrors(error: z.ZodError, prefix: PathSeg[], file: string, spot: (p: PathSeg[]) => string): RuleLoadError[] {
  return error.issues.map((issue) => {
    const path = [...prefix, ...issue.path.filter((s): s is PathSeg => typeof s !== 'symbol')];
    return { file, where: spot(path), message: issue.message };
  });
}

function assemble(
  header: SigmaHeader,
  picket: LoadedRule['picket'],
  match: LoadedRule['match'],
  file: string,
): LoadedRule {
  const rule: LoadedRule = {
    id: header.id,
    title: header.title,
    file,
    service: header.logsource.service,
    level: LEVEL_LABELS[header.level],
    tags: header.tags,
    falsepositives: typeof header.falsepositives === 'string' ? [header.falsepositives] : header.falsepositives ?? [],
    picket,
    match,
  };
  if (header.status !== undefined) rule.status = header.status;
  if (header.description !== undefined) rule.description = header.description;
  return rule;
}
