import { stringify } from 'yaml';
import { compileRule, type LoadedRule } from '../../src/detect/ruleset.js';

let counter = 0;

/** A valid rule around the given detection, so a test states only what it is about. */
export function ruleText(detection: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  counter++;
  const id = `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`;
  return stringify({
    title: `test rule ${counter}`,
    id,
    status: 'test',
    logsource: { product: 'aws', service: 'cloudtrail' },
    detection,
    level: 'medium',
    ...extra,
  });
}

export function ruleWith(detection: Record<string, unknown>, extra: Record<string, unknown> = {}): LoadedRule {
  return compileRule(ruleText(detection, extra), `inline-${counter + 1}.yml`);
}

/** One selection, `condition: selection`. */
export function selectionRule(selection: unknown): LoadedRule {
  return ruleWith({ selection, condition: 'selection' });
}
