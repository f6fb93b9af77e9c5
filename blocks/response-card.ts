/**
 * A card as the response side shows it: the card the pipeline built, plus a
 * state line (what happened and who did it) and the buttons that make sense
 * in that state. Rebuilt from the stored signal every time, so a state change
 * never depends on what the clicked message happened to contain.
 */
import type { Button, KnownBlock } from '@slack/types';
import type { Evidence } from '../src/enrich/types.js';
import type { AlertRecord, EnrichmentStatus } from '../src/respond/types.js';
import { DISPOSITIONS } from '../src/respond/types.js';
import { buildAlertCard, buildCard } from './alert-card.js';
import { ActionId } from './action-ids.js';
import { consoleButton, longTermKey, valueFor } from './buttons.js';
import { code, escapeFit, prose } from './escape.js';
import { actions, button, context, section } from './kit.js';
import { enforceLimits } from './limits.js';
import { evidenceBlocks } from './sections/evidence.js';
import type { Card, CardOptions } from './types.js';
import { timeText } from './values.js';

export interface RenderOptions extends CardOptions {
  /** New messages name people without pinging them; edits may use real user references. */
  mentions?: boolean;
}

/** A Slack user as the card shows it: a reference in edits, the bare id in new posts. */
export function who(userId: string, mentions = true): string {
  if (!/^[UW][A-Z0-9]+$/.test(userId)) return code(userId, 40) ?? 'someone';
  return mentions ? `<@${userId}>` : `\`${userId}\``;
}

const TEMPORARY_KEY = /^ASIA[A-Z0-9]{12,124}$/;

export function temporaryKey(alert: AlertRecord): string | undefined {
  const key = alert.signal.actor?.accessKeyId;
  return typeof key === 'string' && TEMPORARY_KEY.test(key) ? key : undefined;
}

export function stateLine(alert: AlertRecord, mentions = true): string {
  const by = alert.stateBy ? ` by ${who(alert.stateBy, mentions)}` : '';
  const at = timeText(alert.stateAt);
  const when = at ? ` · ${at}` : '';
  const lines = [`*${stateLabel(alert)}*${by}${when} · alert \`${alert.id}\``];
  if (alert.assignee) lines.push(`Assigned to ${who(alert.assignee, mentions)}`);
  if (alert.note) lines.push(`Note: ${prose(alert.note, 500, { multiline: false }) ?? ''}`);
  const remediation = remediationLine(alert, mentions);
  if (remediation) lines.push(remediation);
  return lines.join('\n');
}

function stateLabel(alert: AlertRecord): string {
  switch (alert.state) {
    case 'open':
      return '🟢 Open';
    case 'acknowledged':
      return '👀 Acknowledged';
    case 'closed':
      return `✅ Closed${alert.disposition ? ` as ${DISPOSITIONS[alert.disposition]}` : ''}`;
    case 'awaiting':
      return '❓ Waiting for an answer';
    case 'expected':
      return '✅ Answered Yes: expected, closed';
    case 'unexpected':
      return '🚨 Answered No: not expected, escalated to the SOC';
    case 'unanswered':
      return '⏰ No answer in time: escalated to the SOC';
  }
}

function remediationLine(alert: AlertRecord, mentions: boolean): string | undefined {
  const r = alert.remediation;
  if (!r) return undefined;
  const target = code(r.target, 140) ?? '';
  const by = who(r.by, mentions);
  switch (r.result) {
    case 'inactive':
      return `🔒 Access key ${target} deactivated by ${by}; IAM confirms it is Inactive`;
    case 'active':
      return `🔓 Access key ${target} reactivated by ${by}; IAM confirms it is Active`;
    case 'revoked':
      return `⛔ Sessions of role ${target} issued before ${timeText(r.at) ?? r.at} revoked by ${by}`;
    case 'pending_approval':
      return `⏳ ${r.op === 'revoke_sessions' ? 'Session revocation' : 'Key deactivation'} of ${target} waits for a second responder`;
    case 'failed':
      return `⚠️ ${r.op} of ${target} failed; see the thread`;
  }
}

/** The buttons an alert offers in its current state. */
export function alertActions(alert: AlertRecord, opts: CardOptions = {}): Button[] {
  const value = valueFor(alert.signal, alert.decision);
  const open = alert.state === 'open' || alert.state === 'acknowledged';
  const out: Button[] = [];
  if (alert.state === 'open') out.push(button({ text: 'Acknowledge', actionId: ActionId.acknowledge, value, style: 'primary' }));
  if (open) out.push(button({ text: 'Assign to me', actionId: ActionId.assign, value }));
  out.push(button({ text: 'Investigate', actionId: ActionId.investigate, value }));
  out.push(...remediationButtons(alert, value));
  if (open) out.push(button({ text: 'Close', actionId: ActionId.close, value }));
  const link = consoleButton(alert.signal, value, opts);
  if (link) out.push(link);
  return out;
}

function remediationButtons(alert: AlertRecord, value: string): Button[] {
  const key = longTermKey(alert.signal);
  if (key !== undefined) {
    return alert.remediation?.result === 'inactive'
      ? [button({ text: 'Reactivate access key', actionId: ActionId.reactivateKey, value })]
      : [button({ text: 'Deactivate access key', actionId: ActionId.deactivateKey, value, style: 'danger' })];
  }
  if (temporaryKey(alert) !== undefined && alert.signal.actor?.roleName && alert.remediation?.result !== 'revoked') {
    return [button({ text: 'Revoke role sessions', actionId: ActionId.revokeSessions, value, style: 'danger' })];
  }
  return [];
}

/** The card for an alert or DUET in its current state. */
export function renderAlertCard(alert: AlertRecord, opts: RenderOptions = {}): Card {
  const base = alert.kind === 'duet' ? buildCard(alert.signal, alert.decision, opts) : buildAlertCard(alert.signal, alert.decision, opts);
  const blocks: KnownBlock[] = base.blocks.filter((b) => b.type !== 'actions');
  const at = insertionPoint(base.blocks);
  const mentions = opts.mentions ?? true;
  const tail: KnownBlock[] = [...enrichmentBlocks(alert.evidence, alert.enrichment), ...answerBlocks(alert, mentions), context([stateLine(alert, mentions)])];
  const buttons = actionsFor(alert, base.blocks, opts);
  if (buttons.length > 0) tail.push(actions(alert.kind === 'duet' ? 'picket.duet.actions' : 'picket.alert.actions', buttons));
  blocks.splice(at, 0, ...tail);
  return enforceLimits({ text: base.text, blocks });
}

/** A card with what enrichment found placed above its buttons (local mode shows offline evidence this way). */
export function withEvidence(card: Card, evidence: Evidence[], enrichment: EnrichmentStatus[] = []): Card {
  const extra = enrichmentBlocks(evidence, enrichment);
  if (extra.length === 0) return card;
  const blocks = [...card.blocks];
  blocks.splice(insertionPoint(blocks), 0, ...extra);
  return enforceLimits({ text: card.text, blocks });
}

/** Evidence with its provenance, then the providers that could not answer and why. */
export function enrichmentBlocks(evidence: Evidence[] = [], enrichment: EnrichmentStatus[] = []): KnownBlock[] {
  const down = enrichment.filter((e) => e.status === 'unavailable');
  const lines = down.slice(0, 8).map((e) => `_${escapeFit(e.provider, 40)}_ unavailable: ${escapeFit(e.reason ?? 'no reason given', 200, { multiline: false })}`);
  return [...evidenceBlocks(evidence), ...(lines.length > 0 ? [context(lines)] : [])];
}

function insertionPoint(blocks: KnownBlock[]): number {
  const index = blocks.findIndex((b) => b.type === 'actions');
  return index >= 0 ? index : blocks.length;
}

function actionsFor(alert: AlertRecord, original: KnownBlock[], opts: CardOptions): Button[] {
  if (alert.kind === 'alert') return alertActions(alert, opts);
  if (alert.state !== 'awaiting') {
    const link = consoleButton(alert.signal, valueFor(alert.signal, alert.decision), opts);
    return link ? [link] : [];
  }
  const row = original.find((b) => b.type === 'actions');
  return row && row.type === 'actions' ? row.elements.filter((e): e is Button => e.type === 'button') : [];
}

/** The DUET answer, attached to the SOC card it raised. */
function answerBlocks(alert: AlertRecord, mentions: boolean): KnownBlock[] {
  if (alert.kind !== 'alert') return [];
  const why = alert.escalation === undefined ? [] : [section(`⬆️ ${prose(alert.escalation, 400, { multiline: false }) ?? ''}`)];
  if (!alert.answer) return why;
  const answer = alert.answer.value === 'no' ? '*No*, this was not expected' : '*Yes*, expected';
  const at = timeText(alert.answer.at) ?? alert.answer.at;
  return [...why, section(`💬 DUET answer: ${answer} — ${who(alert.answer.by, mentions)} (${alert.answer.role}) at ${at}`)];
}
