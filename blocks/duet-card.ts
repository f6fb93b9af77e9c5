/**
 * The DUET card: a plain-language question for the person who owns the
 * resource ("did you expect this?"), answered with Yes or No, plus the first
 * thing to do if the answer is No.
 */
import type { KnownBlock } from '@slack/types';
import type { Decision } from '../src/model/decision.js';
import type { Signal } from '../src/model/signal.js';
import { duetButtons } from './buttons.js';
import { code, present, prose, sanitize, truncate } from './escape.js';
import { actions, context, fieldsSection, header, plainSection, section } from './kit.js';
import { enforceLimits } from './limits.js';
import { contextLines } from './sections/context.js';
import { cardSeverity, headerText, titleOf } from './sections/facts.js';
import { firstRemote } from './sections/network.js';
import { leadHit, rulesText } from './sections/rules.js';
import { actorName, resourceLabel } from './sections/subject.js';
import type { Card, CardOptions } from './types.js';
import { countText, severityText, timeText } from './values.js';

export type { CardOptions } from './types.js';

const DEFAULT_FIRST_ACTION =
  'If you did not expect this, press No and leave everything as it is: the security team takes it from there.';

function part(v: unknown, max = 100): string | undefined {
  const value = present(v);
  return value === undefined ? undefined : truncate(sanitize(value), max);
}

/** A question built from the signal when the rule did not supply one. Raw text; escaped by the caller. */
export function genericQuestion(signal: Signal): string {
  const who = part(actorName(signal.actor));
  // GuardDuty's actionType (NETWORK_CONNECTION...) is not something a person "calls".
  const api = part(signal.api) ?? (signal.source === 'cloudtrail' ? part(signal.action) : undefined);
  const resourceId = part(signal.resource?.id);
  const account = part(signal.accountId, 40);
  const from = part(firstRemote(signal.remotes));

  const lead =
    api === undefined
      ? `"${part(titleOf(signal), 150)}"${who === undefined ? '' : ` by ${who}`}`
      : `${who ?? 'anyone'} to call ${api}`;
  const where = [
    resourceId === undefined ? undefined : `on ${resourceId}`,
    account === undefined ? undefined : `in account ${account}`,
    from === undefined ? undefined : `from ${from}`,
  ].filter((p) => p !== undefined);
  return `Did you expect ${lead}${where.length === 0 ? '' : ` ${where.join(' ')}`}?`;
}

function questionOf(signal: Signal, decision: Decision): string {
  return present(leadHit(decision.hits)?.question) ?? genericQuestion(signal);
}

function field(label: string, value: string | undefined): string | undefined {
  return value === undefined ? undefined : `*${label}*\n${value}`;
}

function duetFields(signal: Signal, decision: Decision): string[] {
  const { label, value } = cardSeverity(signal, decision);
  return [
    field('Severity', severityText(label, value)),
    field('Account', code(signal.accountId, 80)),
    field('Region', code(signal.region, 60)),
    field('Resource', resourceLabel(signal.resource)),
    field('Who', code(actorName(signal.actor), 200)),
    field('From', code(firstRemote(signal.remotes), 120)),
    field('When', timeText(signal.lastSeen) ?? timeText(signal.firstSeen)),
    field('Count', countText(signal.count)),
  ].filter((f): f is string => f !== undefined);
}

function firstActionText(decision: Decision): string {
  const action = prose(leadHit(decision.hits)?.firstAction, 600) ?? DEFAULT_FIRST_ACTION;
  return `*First thing to do if this was not expected*\n${action}`;
}

export function buildDuetCard(signal: Signal, decision: Decision, opts: CardOptions = {}): Card {
  const question = questionOf(signal, decision);
  const rules = rulesText(decision.hits);
  const blocks: KnownBlock[] = [
    header(headerText(signal, decision, '❓')),
    plainSection(prose(question, 600) ?? 'Did you expect this activity?'),
    fieldsSection(duetFields(signal, decision)),
    section(firstActionText(decision)),
    actions('picket.duet.actions', duetButtons(signal, decision, opts)),
    context([...(rules === undefined ? [] : [rules]), ...contextLines(signal, decision, opts)]),
  ];
  const text = prose(`Quick check: ${truncate(sanitize(question), 250)}`, 300, { multiline: false });
  return enforceLimits({ text: text ?? 'Quick check', blocks });
}
