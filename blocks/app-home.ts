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
  tenants: { id: string; name: string; open: AlertRecord[]; waiting: AlertRecord[] }[];
  recent: AuditEntry[];
  suppressions: { item: Suppression; canRevoke: boolean }[];
  rules: { id: string; title: string; route: string }[];
  roleSummary: string;
}

const MAX_BLOCKS = 100;

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
  return { type: 'home', blocks: blocks.slice(0, MAX_BLOCKS) };
}

function tenantBlocks(t: HomeInput['tenants'][number]): KnownBlock[] {
  const alerts = t.open.slice(0, 10).map((a) => `• ${prose(a.signal.title, 120, { multiline: false }) ?? 'Alert'}\n   ${stateLine(a)}`);
  const duets = t.waiting.slice(0, 10).map((a) => `• ${prose(a.signal.title, 120, { multiline: false }) ?? 'DUET'} · asked ${timeText(a.createdAt) ?? ''} · \`${a.id}\``);
  return [
    divider(),
    section(`*${prose(t.name, 80, { multiline: false }) ?? t.id}*: ${t.open.length} open alert(s), ${t.waiting.length} DUET(s) awaiting an answer`),
    ...(alerts.length > 0 ? [section(alerts.join('\n').slice(0, 2900))] : []),
    ...(duets.length > 0 ? [section(`*Awaiting an answer*\n${duets.join('\n')}`.slice(0, 2900))] : []),
  ];
}

function recentText(recent: AuditEntry[]): string {
  if (recent.length === 0) return '_Nothing yet._';
  const lines = recent.slice(0, 15).map((e) => `• ${timeText(e.time) ?? e.time} · ${code(e.user, 30)} (${e.role}) · ${e.action} · ${code(e.target, 80)} · ${e.result}`);
  return lines.join('\n').slice(0, 2900);
}

function suppressionBlocks(items: HomeInput['suppressions']): KnownBlock[] {
  if (items.length === 0) return [section('_None._')];
  return items.slice(0, 20).map(({ item, canRevoke }) => {
    const scope = Object.entries(item.match).map(([k, v]) => `${k}=${v}`).join(', ');
    const text = `${code(item.id, 40)} · ${code(item.ruleId, 80)} · ${code(scope, 200)} · until ${timeText(item.expiresAt) ?? item.expiresAt} · by ${code(item.owner, 30)}\n${prose(item.reason, 300, { multiline: false }) ?? ''}`;
    const block: KnownBlock = section(text);
    if (canRevoke && block.type === 'section') block.accessory = button({ text: 'Revoke', actionId: ActionId.revokeSuppression, value: item.id, style: 'danger' });
    return block;
  });
}

function rulesText(rules: HomeInput['rules']): string {
  if (rules.length === 0) return '_No rules loaded._';
  const lines = rules.slice(0, 60).map((r) => `• ${code(r.id, 80)} ${prose(r.title, 100, { multiline: false }) ?? ''} → ${r.route}`);
  const more = rules.length > 60 ? `\n…and ${rules.length - 60} more (use /detections)` : '';
  return (lines.join('\n') + more).slice(0, 2900);
}
