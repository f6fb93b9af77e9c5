/**
 * What Picket decided and why: the rules that fired and the runbook of the
 * first rule that has one. Rule text comes from rule files and templates that
 * may embed event fields, so it is escaped like everything else.
 */
import type { RuleHit } from '../../src/model/decision.js';
import { code, present, prose } from '../escape.js';

const RULES_SHOWN = 5;
const STEPS_SHOWN = 8;

function hitsOf(hits: unknown): RuleHit[] {
  return Array.isArray(hits) ? (hits as unknown[]).filter(isHit) : [];
}

function isHit(h: unknown): h is RuleHit {
  return typeof h === 'object' && h !== null;
}

function ruleLine(hit: RuleHit): string | undefined {
  const title = prose(hit.title, 150, { multiline: false });
  const id = code(hit.ruleId, 80);
  if (title === undefined && id === undefined) return undefined;
  return `• ${[title, id].filter((x) => x !== undefined).join(' ')}`;
}

export function rulesText(hits: unknown): string | undefined {
  const lines = hitsOf(hits).map(ruleLine).filter((l): l is string => l !== undefined);
  if (lines.length === 0) return undefined;
  const shown = lines.slice(0, RULES_SHOWN);
  if (lines.length > RULES_SHOWN) shown.push(`+${lines.length - RULES_SHOWN} more`);
  return [lines.length > 1 ? '*Rules that fired*' : '*Rule that fired*', ...shown].join('\n');
}

export function runbookText(hits: unknown): string | undefined {
  const hit = hitsOf(hits).find((h) => Array.isArray(h.runbook) && h.runbook.some((s) => present(s)));
  if (hit === undefined || !Array.isArray(hit.runbook)) return undefined;

  const steps = hit.runbook
    .map((s) => prose(s, 220, { multiline: false }))
    .filter((s): s is string => s !== undefined);
  const shown = steps.slice(0, STEPS_SHOWN).map((s, i) => `${i + 1}. ${s}`);
  if (steps.length > STEPS_SHOWN) shown.push(`+${steps.length - STEPS_SHOWN} more steps in the rule file`);
  return ['*Runbook*', ...shown].join('\n');
}

/** The first hit, when there is one: it decided the route. */
export function leadHit(hits: unknown): RuleHit | undefined {
  return hitsOf(hits)[0];
}
