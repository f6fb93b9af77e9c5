/**
 * `picket rules test|list|check`: run every rule's own tests, list the rule
 * set, and check that a folder of foreign Sigma rules loads and evaluates.
 */

import { loadRuleSet, type LoadedRule, type RuleLoadError } from '../detect/ruleset.js';
import { readEvents, runRuleTests } from '../detect/sigma/rule-tests.js';
import { SAMPLE_CLOUDTRAIL_RECORD, SAMPLE_GUARDDUTY_FINDING } from '../detect/sigma/samples.js';
import { errorMessage } from '../core/errors.js';

interface RulesIO {
  out: (s: string) => void;
  err: (s: string) => void;
}

const USAGE = [
  'usage: picket rules test [dir...]',
  '       picket rules list [--json] [--source cloudtrail|guardduty] [--route soc|duet|suppress] [--opt-in]',
  '       picket rules check <dir> [--event <file>]',
];

export async function rulesCommand(args: string[], io: RulesIO): Promise<number> {
  const [sub, ...rest] = args;
  try {
    if (sub === 'test') return testRules(rest, io);
    if (sub === 'list') return listRules(rest, io);
    if (sub === 'check') return checkRules(rest, io);
  } catch (err: unknown) {
    io.err(`picket rules ${sub ?? ''}: ${errorMessage(err)}`);
    return 2;
  }
  if (sub) io.err(`picket rules: unknown subcommand '${sub}'`);
  for (const line of USAGE) io.err(line);
  return 2;
}

function loadError(e: RuleLoadError): string {
  return `FAIL ${e.file}: ${e.where}: ${e.message}`;
}

function testRules(args: string[], io: RulesIO): number {
  const unknown = args.find((a) => a.startsWith('-'));
  if (unknown) throw new Error(`unknown option ${unknown}`);
  const set = loadRuleSet(args.length > 0 ? args : ['rules']);
  for (const e of set.errors) io.out(loadError(e));

  let tests = 0;
  let failed = set.errors.length;
  for (const rule of set.rules) {
    const report = runRuleTests(rule);
    tests += report.tests;
    failed += report.failures.length;
    for (const f of report.failures) {
      io.out(`FAIL ${rule.file}: ${rule.title} (${rule.id})${f.test ? `: test "${f.test}"` : ''}: ${f.message}`);
    }
  }

  io.out(`${set.rules.length} rules, ${tests} tests, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

interface ListOptions {
  json: boolean;
  source?: string;
  route?: string;
  optIn: boolean;
  dirs: string[];
}

function parseListArgs(args: string[]): ListOptions {
  const options: ListOptions = { json: false, optIn: false, dirs: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--json') options.json = true;
    else if (arg === '--opt-in') options.optIn = true;
    else if (arg === '--source' || arg === '--route') {
      const value = args[++i];
      if (!value) throw new Error(`${arg} needs a value`);
      const allowed = arg === '--source' ? ['cloudtrail', 'guardduty'] : ['soc', 'duet', 'suppress'];
      if (!allowed.includes(value)) throw new Error(`${arg} takes ${allowed.join(', ')}; got ${value}`);
      options[arg === '--source' ? 'source' : 'route'] = value;
    } else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}`);
    else options.dirs.push(arg);
  }
  return options;
}

function listRules(args: string[], io: RulesIO): number {
  const options = parseListArgs(args);
  const set = loadRuleSet(options.dirs.length > 0 ? options.dirs : ['rules']);
  for (const e of set.errors) io.err(loadError(e));

  const rows = set.rules
    .filter((r) => !options.source || r.service === options.source)
    .filter((r) => !options.route || r.picket.route === options.route)
    .filter((r) => !options.optIn || r.picket.opt_in)
    .map(listRow);

  if (options.json) io.out(JSON.stringify(rows, null, 2));
  else printTable(rows, io);
  return set.errors.length === 0 ? 0 : 1;
}

interface ListRow {
  id: string;
  title: string;
  source: string;
  route: string;
  level: string;
  optIn: boolean;
  attack: string[];
}

function listRow(rule: LoadedRule): ListRow {
  return {
    id: rule.id,
    title: rule.title,
    source: rule.service,
    route: rule.picket.route,
    level: rule.level,
    optIn: rule.picket.opt_in,
    attack: rule.tags.filter((t) => t.toLowerCase().startsWith('attack.')),
  };
}

function printTable(rows: ListRow[], io: RulesIO): void {
  const header = ['ID', 'TITLE', 'SOURCE', 'ROUTE', 'LEVEL', 'OPT-IN', 'ATT&CK'];
  const cells = rows.map((r) => [r.id, r.title, r.source, r.route, r.level, r.optIn ? 'yes' : 'no', r.attack.join(',')]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]) => c.map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i] ?? 0))).join('  ');
  io.out(line(header));
  for (const c of cells) io.out(line(c));
}

function checkRules(args: string[], io: RulesIO): number {
  const eventAt = args.indexOf('--event');
  const eventFile = eventAt >= 0 ? args[eventAt + 1] : undefined;
  if (eventAt >= 0 && !eventFile) throw new Error('--event needs a file');
  const dirs = eventAt >= 0 ? args.filter((_, i) => i !== eventAt && i !== eventAt + 1) : args;
  if (dirs.length !== 1 || dirs[0]?.startsWith('-')) throw new Error('give one folder of rules to check');

  const set = loadRuleSet(dirs);
  const given = eventFile ? readEvents(eventFile) : undefined;
  let failed = set.errors.length;
  for (const e of set.errors) io.out(loadError(e));

  for (const rule of set.rules) {
    const events = given ?? [rule.service === 'guardduty' ? SAMPLE_GUARDDUTY_FINDING : SAMPLE_CLOUDTRAIL_RECORD];
    const problem = evaluationProblem(rule, events);
    if (problem) {
      failed++;
      io.out(`FAIL ${rule.file}: evaluation: ${problem}`);
    }
  }

  io.out(`${set.rules.length} loaded, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

function evaluationProblem(rule: LoadedRule, events: Record<string, unknown>[]): string | undefined {
  try {
    for (const event of events) {
      if (typeof rule.match(event) !== 'boolean') return 'the matcher did not return a boolean';
    }
    return undefined;
  } catch (err: unknown) {
    return errorMessage(err);
  }
}
