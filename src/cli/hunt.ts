/**
 * `picket hunt list|test|run`: the hunt library from the terminal. `run` is
 * offline: it reads CloudTrail log files, arrays of records or EventBridge
 * events and never calls AWS; live hunts run from Slack (`/hunt`).
 */

import { stat } from 'node:fs/promises';
import { errorMessage } from '../core/errors.js';
import type { RuleLoadError } from '../detect/ruleset.js';
import { OfflineGeo } from '../geo/lookup.js';
import { createCollector, type HuntResult } from '../hunt/collect.js';
import { summaryLines } from '../hunt/format.js';
import { DEFAULT_HUNTS_DIR, loadHunts, type Hunt, type HuntSet } from '../hunt/load.js';
import { runHuntTests } from '../hunt/tests.js';
import { readPaths } from '../intake/reader.js';
import { parseArgs, flagString } from './args.js';
import type { CommandIO } from './io.js';

const USAGE = [
  'usage: picket hunt list [--json] [--hunts <dir>]',
  '       picket hunt test [--hunts <dir>]',
  '       picket hunt run <hunt-id> <files|dirs...> [--json] [--hunts <dir>]',
];

export async function huntCommand(args: string[], io: CommandIO): Promise<number> {
  const [sub, ...rest] = args;
  try {
    const parsed = parseArgs(rest, ['hunts'], ['json']);
    const set = loadHunts([flagString(parsed, 'hunts') ?? DEFAULT_HUNTS_DIR]);
    const json = parsed.flags.has('json');
    if (sub === 'list' && parsed.positionals.length === 0) return listHunts(set, json, io);
    if (sub === 'test' && parsed.positionals.length === 0) return testHunts(set, io);
    if (sub === 'run' && parsed.positionals.length >= 2) return await runOffline(set, parsed.positionals, json, io);
  } catch (err: unknown) {
    io.err(`picket hunt ${sub ?? ''}: ${errorMessage(err)}`);
    return 2;
  }
  if (sub && !['list', 'test', 'run'].includes(sub)) io.err(`picket hunt: unknown subcommand '${sub}'`);
  for (const line of USAGE) io.err(line);
  return 2;
}

function loadError(e: RuleLoadError): string {
  return `FAIL ${e.file}: ${e.where}: ${e.message}`;
}

function listHunts(set: HuntSet, json: boolean, io: CommandIO): number {
  for (const e of set.errors) io.err(loadError(e));
  if (json) io.out(JSON.stringify(set.hunts.map(listRow), null, 2));
  else printTable(set.hunts.map(listRow), io);
  return set.errors.length === 0 ? 0 : 1;
}

interface ListRow {
  id: string;
  title: string;
  technique: string;
  lookup: string;
  window: string;
  hypothesis: string;
}

function listRow(hunt: Hunt): ListRow {
  const { spec } = hunt;
  return {
    id: hunt.id,
    title: hunt.title,
    technique: spec.technique,
    lookup: `${spec.lookup.attribute}=${spec.lookup.values.join(',')}`,
    window: spec.window,
    hypothesis: spec.hypothesis,
  };
}

function printTable(rows: ListRow[], io: CommandIO): void {
  const header = ['ID', 'ATT&CK', 'WINDOW', 'LOOKUP', 'TITLE'];
  const cells = rows.map((r) => [r.id, r.technique, r.window, r.lookup, r.title]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]) => c.map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i] ?? 0))).join('  ');
  io.out(line(header));
  for (const c of cells) io.out(line(c));
}

function testHunts(set: HuntSet, io: CommandIO): number {
  for (const e of set.errors) io.out(loadError(e));
  let tests = 0;
  let failed = set.errors.length;
  for (const hunt of set.hunts) {
    const report = runHuntTests(hunt);
    tests += report.tests;
    failed += report.failures.length;
    for (const f of report.failures) io.out(`FAIL ${hunt.file}: ${hunt.id}${f.test ? `: test "${f.test}"` : ''}: ${f.message}`);
  }
  io.out(`${set.hunts.length} hunts, ${tests} tests, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

async function runOffline(set: HuntSet, positionals: string[], json: boolean, io: CommandIO): Promise<number> {
  const [id = '', ...paths] = positionals;
  const hunt = set.find(id);
  if (!hunt) {
    io.err(`picket hunt run: no hunt ${id}; see picket hunt list`);
    return 2;
  }
  const missing = [];
  for (const path of paths) if (!(await stat(path).catch(() => undefined))) missing.push(path);
  if (missing.length > 0) {
    io.err(`picket hunt run: cannot read ${missing.join(', ')}`);
    return 2;
  }
  const collector = createCollector(hunt, hunt.spec.geo ? { geo: new OfflineGeo() } : {});
  for (const { items } of await readPaths(paths)) {
    for (const item of items) {
      if (item.status === 'ok' && item.kind === 'cloudtrail') collector.add(item.doc);
      else if (item.status === 'rejected') io.err(`picket hunt run: skipped ${item.origin.file}#${item.origin.index}: ${item.reason}`);
    }
  }
  printResult(collector.result(), json, io);
  return 0;
}

function printResult(result: HuntResult, json: boolean, io: CommandIO): void {
  if (json) {
    io.out(JSON.stringify(result, null, 2));
    return;
  }
  io.out(`${result.huntId}: ${result.title}`);
  for (const line of summaryLines(result, Number.POSITIVE_INFINITY)) io.out(`  ${line}`);
}
