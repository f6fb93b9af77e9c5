/**
 * The SOC alert card, the card picker, and the short thread note posted when
 * a finding is seen again. Plain functions: a Signal and a Decision in, a Card
 * out, already escaped and inside Slack's limits.
 */
import type { KnownBlock } from '@slack/types';
import type { Decision } from '../src/model/decision.js';
import type { Signal } from '../src/model/signal.js';
import { alertButtons } from './buttons.js';
import { buildDuetCard } from './duet-card.js';
import { present, prose, sanitize, truncate } from './escape.js';
import { actions, context, fieldsSection, header, plainSection, section } from './kit.js';
import { enforceLimits } from './limits.js';
import { contextLines } from './sections/context.js';
import { cardSeverity, factFields, headerText, sampleMark, titleOf } from './sections/facts.js';
import { remotesText } from './sections/network.js';
import { processText } from './sections/process.js';
import { rulesText, runbookText } from './sections/rules.js';
import { actorText, resourceText } from './sections/subject.js';
import type { Card, CardOptions } from './types.js';
import { countText, finiteNumber, severityText, timeText } from './values.js';

export type { CardOptions } from './types.js';

/** Raw text cut to a length before it is composed into a sentence and escaped as a whole. */
export function clip(v: unknown, max: number): string | undefined {
  const value = present(v);
  return value === undefined ? undefined : truncate(sanitize(value), max);
}

function alertFallback(signal: Signal, decision: Decision): string {
  const { label, value } = cardSeverity(signal, decision);
  const account = clip(signal.accountId, 40);
  const region = clip(signal.region, 40);
  const raw = [
    `${sampleMark(signal, decision) ? '[SAMPLE] ' : ''}${severityText(label, value)}: ${clip(titleOf(signal), 150)}`,
    account === undefined ? undefined : `account ${account}`,
    region,
  ]
    .filter((p) => p !== undefined)
    .join(' · ');
  return prose(raw, 300, { multiline: false }) ?? 'Security finding';
}

function detailSections(signal: Signal, decision: Decision): KnownBlock[] {
  const description = prose(signal.description, 800);
  const texts = [
    resourceText(signal.resource),
    actorText(signal.actor, signal.accountId),
    remotesText(signal.remotes),
    processText(signal.process),
    rulesText(decision.hits),
    runbookText(decision.hits),
  ].filter((t): t is string => t !== undefined);

  const blocks: KnownBlock[] = description === undefined ? [] : [plainSection(description)];
  return blocks.concat(texts.map(section));
}

export function buildAlertCard(signal: Signal, decision: Decision, opts: CardOptions = {}): Card {
  const blocks: KnownBlock[] = [
    header(headerText(signal, decision)),
    fieldsSection(factFields(signal, decision)),
    ...detailSections(signal, decision),
    actions('picket.alert.actions', alertButtons(signal, decision, opts)),
    context(contextLines(signal, decision, opts)),
  ];
  return enforceLimits({ text: alertFallback(signal, decision), blocks });
}

/** DUET questions go to the resource owner; everything else is a SOC card. */
export function buildCard(signal: Signal, decision: Decision, opts: CardOptions = {}): Card {
  return decision.outcome === 'duet' ? buildDuetCard(signal, decision, opts) : buildAlertCard(signal, decision, opts);
}

/**
 * The thread reply for a repeat sighting, e.g.
 * `🔁 Seen again: count 3 → 7 · last seen 2026-12-04 15:36:00 UTC`. Escaped mrkdwn.
 */
export function buildUpdateNote(prev: { count: number; lastSeen?: string }, next: Signal): string {
  const before = finiteNumber(prev.count);
  const after = finiteNumber(next.count);
  const counts =
    before !== undefined && after !== undefined && before !== after
      ? `count ${countText(before)} → ${countText(after)}`
      : after === undefined
        ? undefined
        : `count ${countText(after)}`;

  const lastSeen = next.lastSeen !== prev.lastSeen ? timeText(next.lastSeen) : undefined;
  const parts = [counts, lastSeen === undefined ? undefined : `last seen ${lastSeen}`].filter((p) => p !== undefined);
  return truncate(`🔁 Seen again${parts.length === 0 ? '' : `: ${parts.join(' · ')}`}`, 300);
}
