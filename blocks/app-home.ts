/**
 * The App Home tab: what this person may see and act on. Alerts and DUETs by
 * tenant, recent actions, live suppressions (with Revoke for analysts), and
 * the detections list. Everything shown is escaped; the view stays under
 * Slack's 100-block limit.
 */
import type { HomeView, KnownBlock } from '@slack/types';
import type { AuditEntry } from '../src/respond/audit.js';
import type { Suppression } from '../src/respond/suppressions.js';
import type { AlertRecord } from '../src/respond/types.js';
import { ActionId } from './action-ids.js';
import { code, prose } from './escape.js';
import { actions, button, context, divider, header, section } from './kit.js';
import { stateLine } from './response-card.js';
import { timeText } from './values.js';

export interface HomeInput {
  /** `open` and `waiting` are the newest few; the totals say how many there are in all. */
  tenants: { id: string; name: string; open: AlertRecord[]; openTotal?: number; waiting: AlertRecord[]; waitingTotal?: number }[];
  recent: AuditEntry[];
  suppressions: { item: Suppression; canRevoke: boolean }[];
  rules: { id: string; title: string; route: string }[];
  roleSummary: string;
}

const MAX_BLOCKS = 100;
/** Alerts and DUETs listed per tenant. */
export const HOME_LIST = 10;
const MAX_SUPPRESSIONS = 20;
const MAX_RULES = 60;

/** Said wherever a list was cut, so nobody mistakes the first few for all of them. */
function more(hidden: number, where: string): string[] {
  return hidden > 0 ? [`_+${hidden} more (${where})_`] : [];
}

export function homeView(input: HomeInput): HomeView {
  const blocks: KnownBlock[] = [
    header('Picket'),
    context([`Your roles: ${prose(input.roleSummary, 200, { multiline: false }) ?? 'none'}`]),
    actions('picket.home.actions', [button({ text: 'Refresh', actionId: ActionId.homeRefresh })]),
  ];
  for (const t of input.tenants) blocks.push(...tenantBlocks(t));
  blocks.push(divider(), section('*Recent actions*'), section(recentText(input.recent)));
  blocks.push(divider(), section('*Suppressions*'), ...suppressionBlocks(input.suppressions));
  blocks.push(divider(), section('*Detections*'), section(rulesText(input.rules)));
  if (blocks.length <= MAX_BLOCKS) return { type: 'home', blocks };
  const kept = blocks.slice(0, MAX_BLOCKS - 1);
  return { type: 'home', blocks: [...kept, context([`_+${blocks.length - kept.length} more blocks not shown (Slack allows ${MAX_BLOCKS}); use /picket and /detections for the rest_`])] };
}

function tenantBlocks(t: HomeInput['tenants'][number]): KnownBlock[] {
  const openTotal = Math.max(t.openTotal ?? t.open.length, t.open.length);
  const waitingTotal = Math.max(t.waitingTotal ?? t.waiting.length, t.waiting.length);
  const shownOpen = t.open.slice(0, HOME_LIST);
  const shownWaiting = t.waiting.slice(0, HOME_LIST);
  const alerts = shownOpen.map((a) => `• ${prose(a.signal.title, 120, { multiline: false }) ?? 'Alert'}\n   ${stateLine(a)}`);
  const duets = shownWaiting.map((a) => `• ${prose(a.signal.title, 120, { multiline: false }) ?? 'DUET'} · asked ${timeText(a.createdAt) ?? ''} · \`${a.id}\``);
  return [
    divider(),
    section(`*${prose(t.name, 80, { multiline: false }) ?? t.id}*: ${openTotal} open alert(s), ${waitingTotal} DUET(s) awaiting an answer`),
    ...(alerts.length > 0 ? [section(fitLines([...alerts, ...more(openTotal - shownOpen.length, 'newest shown')]))] : []),
    ...(duets.length > 0 ? [section(fitLines(['*Awaiting an answer*', ...duets, ...more(waitingTotal - shownWaiting.length, 'newest shown')]))] : []),
  ];
}

/** Whole lines up to Slack's section limit, and a count of the lines that did not fit. */
function fitLines(lines: string[], max = 2900): string {
  const out: string[] = [];
  let used = 0;
  for (const [i, line] of lines.entries()) {
    const tail = `_+${lines.length - i} more lines not shown_`;
    if (used + line.length + 1 > max - tail.length - 1) return [...out, tail].join('\n');
    out.push(line);
    used += line.length + 1;
  }
  return out.join('\n');
}

function recentText(recent: AuditEntry[]): string {
  if (recent.length === 0) return '_Nothing yet._';
  const lines = recent.slice(0, 15).map((e) => `• ${timeText(e.time) ?? e.time} · ${code(e.user, 30)} (${e.role}) · ${e.action} · ${code(e.target, 80)} · ${e.result}`);
  const note = recent.length >= 15 ? ['_Newest 15 shown; `/picket audit` lists more._'] : [];
  return fitLines([...lines, ...note]);
}

function suppressionBlocks(items: HomeInput['suppressions']): KnownBlock[] {
  if (items.length === 0) return [section('_None._')];
  const hidden = more(items.length - MAX_SUPPRESSIONS, 'use `/picket suppressions`').map((t) => context([t]));
  return [...items.slice(0, MAX_SUPPRESSIONS).map(({ item, canRevoke }) => suppressionBlock(item, canRevoke)), ...hidden];
}

function suppressionBlock(item: Suppression, canRevoke: boolean): KnownBlock {
  const scope = Object.entries(item.match).map(([k, v]) => `${k}=${v}`).join(', ');
  const text = `${code(item.id, 40)} · ${code(item.ruleId, 80)} · ${code(scope, 200)} · until ${timeText(item.expiresAt) ?? item.expiresAt} · by ${code(item.owner, 30)}\n${prose(item.reason, 300, { multiline: false }) ?? ''}`;
  const block: KnownBlock = section(text);
  if (canRevoke && block.type === 'section') block.accessory = button({ text: 'Revoke', actionId: ActionId.revokeSuppression, value: item.id, style: 'danger' });
  return block;
}

function rulesText(rules: HomeInput['rules']): string {
  if (rules.length === 0) return '_No rules loaded._';
  const lines = rules.slice(0, MAX_RULES).map((r) => `• ${code(r.id, 80)} ${prose(r.title, 100, { multiline: false }) ?? ''} → ${r.route}`);
  return fitLines([...lines, ...more(rules.length - MAX_RULES, 'use /detections')]);
}
