import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadCatalogue } from '../../src/detect/catalogue.js';
import { loadRuleSet, type LoadedRule } from '../../src/detect/ruleset.js';
import { runRuleTests } from '../../src/detect/sigma/rule-tests.js';

const ROOT = process.cwd();
const set = loadRuleSet([join(ROOT, 'rules')]);
const rules = set.rules;
const cloudtrail = rules.filter((r) => r.service === 'cloudtrail');
const guardduty = rules.filter((r) => r.service === 'guardduty');

const TACTICS = new Set([
  'reconnaissance',
  'resource_development',
  'initial_access',
  'execution',
  'persistence',
  'privilege_escalation',
  'defense_evasion',
  'credential_access',
  'discovery',
  'lateral_movement',
  'collection',
  'command_and_control',
  'exfiltration',
  'impact',
]);

/** Disabling cloud logs (T1562.008) or security tools (T1562.001) is blinding: never a question. */
const BLINDING_TECHNIQUES = ['attack.t1562.008', 'attack.t1562.001'];

function kebab(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function offenders(test: (rule: LoadedRule) => string | undefined): string[] {
  return rules.flatMap((rule) => {
    const problem = test(rule);
    return problem ? [`${basename(rule.file)}: ${problem}`] : [];
  });
}

describe('rule set invariants', () => {
  it('loads every rule file without an error', () => {
    expect(set.errors.map((e) => `${e.file}: ${e.where}: ${e.message}`)).toEqual([]);
  });

  it('has at least 45 CloudTrail rules and a GuardDuty rule per DUET family', () => {
    expect(cloudtrail.length).toBeGreaterThanOrEqual(45);
    expect(guardduty.length).toBe(8);
  });

  it('names each file after its title', () => {
    expect(offenders((r) => (basename(r.file) === `${kebab(r.title)}.yml` ? undefined : `title "${r.title}"`))).toEqual(
      [],
    );
  });

  it('passes every inline test, with at least one match and one no-match per rule', () => {
    const failures = rules.flatMap((rule) =>
      runRuleTests(rule, ROOT).failures.map((f) => `${basename(rule.file)}: ${f.test ?? '(rule)'}: ${f.message}`),
    );
    expect(failures).toEqual([]);
  });

  it('tags every rule with an ATT&CK tactic and technique', () => {
    expect(
      offenders((r) => {
        const tactics = r.tags.filter((t) => TACTICS.has(t.replace(/^attack\./, '')));
        const techniques = r.tags.filter((t) => /^attack\.t\d{4}(\.\d{3})?$/.test(t));
        const unknown = r.tags.filter((t) => !tactics.includes(t) && !techniques.includes(t));
        if (tactics.length === 0) return 'no tactic tag';
        if (techniques.length === 0) return 'no technique tag';
        return unknown.length > 0 ? `unknown tags ${unknown.join(', ')}` : undefined;
      }),
    ).toEqual([]);
  });

  it('gives every rule a dedup key, a first action and a runbook of two or three steps', () => {
    expect(
      offenders((r) => {
        if (!r.picket.dedup) return 'no dedup';
        if (!r.picket.first_action) return 'no first_action';
        const steps = r.picket.runbook.length;
        return steps < 2 || steps > 3 ? `runbook has ${steps} steps` : undefined;
      }),
    ).toEqual([]);
  });

  it('asks a question in every DUET rule and keeps runbooks free of placeholders', () => {
    expect(
      offenders((r) => {
        if (r.picket.route === 'duet' && !r.picket.question?.includes('{')) return 'DUET question names no field';
        return r.picket.runbook.some((s) => s.includes('{')) ? 'runbook step with a placeholder' : undefined;
      }),
    ).toEqual([]);
  });

  it('routes every rule about disabling logs or security tools to the SOC', () => {
    expect(
      offenders((r) => {
        const blinding = r.tags.some((t) => BLINDING_TECHNIQUES.includes(t));
        return blinding && r.picket.route !== 'soc' ? `blinding rule routed ${r.picket.route}` : undefined;
      }),
    ).toEqual([]);
  });

  it('leaves AWS services doing their own work out of every CloudTrail rule', () => {
    const missing = cloudtrail
      .filter((rule) => {
        const detection = detectionOf(rule);
        const filter: unknown = detection.filter_main_aws_service;
        const alternatives: unknown[] = Array.isArray(filter) ? filter : [filter];
        return !alternatives.some((f) => (f as Record<string, unknown> | null)?.['userIdentity.type'] === 'AWSService');
      })
      .map((rule) => basename(rule.file));
    expect(missing).toEqual([]);
  });

  it('only names GuardDuty types the catalogue knows, with the catalogue route', () => {
    const catalogue = loadCatalogue();
    const problems: string[] = [];
    expect(guardduty.flatMap(namedTypes).length).toBe(17);
    for (const rule of guardduty) {
      for (const type of namedTypes(rule)) {
        const entry = catalogue.entries.get(type);
        if (!entry || entry.family) problems.push(`${basename(rule.file)}: ${type} is not in the catalogue`);
        else if (entry.route !== rule.picket.route) problems.push(`${basename(rule.file)}: ${type} is ${entry.route} there`);
      }
    }
    expect(problems).toEqual([]);
  });
});

/** The finding types a GuardDuty rule names by exact value in its detection section. */
function namedTypes(rule: LoadedRule): string[] {
  return Object.values(detectionOf(rule)).flatMap((block) => {
    if (block === null || typeof block !== 'object' || Array.isArray(block)) return [];
    const value = (block as Record<string, unknown>).type;
    return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
  });
}

function detectionOf(rule: LoadedRule): Record<string, unknown> {
  const doc: unknown = parse(readFileSync(rule.file, 'utf8'));
  return (doc as { detection?: Record<string, unknown> }).detection ?? {};
}
