/**
 * Running the inline tests of a rule's `picket:` section. A fixture file may
 * hold one event, a JSON array of events, or a CloudTrail log file
 * (`{"Records": [...]}`): a `match` test passes when any of its events
 * matches, a `no-match` test when none does.
 */

import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { errorMessage, InputError } from '../../core/errors.js';
import type { LoadedRule } from '../ruleset.js';

export interface TestFailure {
  rule: LoadedRule;
  /** The test's name; absent for a failure of the rule as a whole. */
  test?: string;
  message: string;
}

export interface TestReport {
  tests: number;
  failures: TestFailure[];
}

export function runRuleTests(rule: LoadedRule, root = projectRoot(rule.file)): TestReport {
  const failures: TestFailure[] = [];
  const { tests } = rule.picket;
  if (!tests.some((t) => t.expect === 'match')) failures.push({ rule, message: 'has no positive test (expect: match)' });
  if (!tests.some((t) => t.expect === 'no-match')) failures.push({ rule, message: 'has no negative test (expect: no-match)' });

  for (const test of tests) {
    const message = runOne(rule, test, root);
    if (message) failures.push({ rule, test: test.name, message });
  }
  return { tests: tests.length, failures };
}

function runOne(rule: LoadedRule, test: LoadedRule['picket']['tests'][number], root: string): string | undefined {
  const fixture = test.fixture ?? '';
  let events: Record<string, unknown>[];
  try {
    events = test.event ? [test.event] : readEvents(isAbsolute(fixture) ? fixture : join(root, fixture));
  } catch (err: unknown) {
    return `fixture ${fixture}: ${errorMessage(err)}`;
  }
  if (events.length === 0) return `fixture ${fixture} holds no event`;

  const matched = events.filter((e) => rule.match(e)).length;
  if (test.expect === 'match' && matched === 0) return 'expected a match, but no event matched';
  if (test.expect === 'no-match' && matched > 0) return `expected no match, but ${matched} of ${events.length} event(s) matched`;
  return undefined;
}

/** The events of a JSON file: one object, an array of objects, or `{"Records": [...]}`. */
export function readEvents(file: string): Record<string, unknown>[] {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const list = isRecord(parsed) && Array.isArray(parsed.Records) ? parsed.Records : Array.isArray(parsed) ? parsed : [parsed];
  const bad = list.findIndex((e) => !isRecord(e));
  if (bad >= 0) throw new InputError(`item ${bad} is not a JSON object`);
  return list as Record<string, unknown>[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Fixture paths are written from the project root: the nearest folder above the rule with a package.json. */
export function projectRoot(file: string): string {
  let dir = dirname(resolve(file));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}
