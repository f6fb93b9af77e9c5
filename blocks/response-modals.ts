/**
 * The modals: confirm a remediation (showing exactly what will happen),
 * close an alert with a disposition and note, and scope a suppression.
 * Values shown come from IAM or the finding and are escaped.
 */
import type { KnownBlock, ModalView, PlainTextOption as Option } from '@slack/types';
import type { KeyFacts } from '../src/respond/remediation/iam-keys.js';
import { DISPOSITIONS, type Disposition } from '../src/respond/types.js';
import { code } from './escape.js';
import { context, fieldsSection, plain, section } from './kit.js';
import { timeText } from './values.js';
import { InputId, ViewId } from './view-ids.js';

export interface RemediateMeta {
  alertId: string;
  op: 'deactivate' | 'revoke_sessions';
  generation: number;
}

const TITLES = { deactivate: 'Deactivate access key', revoke_sessions: 'Revoke role sessions' } as const;

function modal(callbackId: string, title: string, blocks: KnownBlock[], meta: string, submit?: string): ModalView {
  const view: ModalView = { type: 'modal', callback_id: callbackId, title: plain(title.slice(0, 24)), close: plain('Cancel'), blocks, private_metadata: meta };
  if (submit) view.submit = plain(submit);
  return view;
}

export function loadingView(meta: RemediateMeta): ModalView {
  return modal(ViewId.remediate, TITLES[meta.op], [section('Looking up the key in IAM…')], JSON.stringify(meta));
}

export interface KeyViewInput {
  facts: KeyFacts;
  isProtected: boolean;
  twoPerson: boolean;
  windowMinutes: number;
}

export function keyConfirmView(meta: RemediateMeta, input: KeyViewInput): ModalView {
  const { facts } = input;
  const last = facts.lastUsed;
  const lastUsed = last?.time ? `${timeText(last.time) ?? last.time} · ${code(last.service, 60) ?? 'unknown service'} · ${code(last.region, 40) ?? 'unknown region'}` : 'never used';
  const blocks: KnownBlock[] = [
    section(`Access key ${code(facts.keyId, 140) ?? ''} will be set to *Inactive* with one UpdateAccessKey call. Anything using it stops working at once; a responder can reactivate it from the alert thread.`),
    fieldsSection([
      `*Key id*\n${code(facts.keyId, 140) ?? ''}`,
      `*Owner*\n${code(facts.userName, 140) ?? 'unknown'}`,
      `*Created*\n${timeText(facts.createdAt) ?? 'unknown'}`,
      `*Status now*\n${code(facts.status, 40) ?? 'unknown'}`,
      `*Last used*\n${lastUsed}`,
      `*Protect list*\n${input.isProtected ? '🛡️ protected' : 'not protected'}`,
    ]),
  ];
  return withProtection(meta, blocks, input, 'Deactivate');
}

export function sessionsConfirmView(meta: RemediateMeta, roleName: string, keyId: string, input: Omit<KeyViewInput, 'facts'>): ModalView {
  const blocks: KnownBlock[] = [
    section(`${code(keyId, 140) ?? 'This key'} is a temporary key of role ${code(roleName, 140) ?? ''}: temporary keys cannot be deactivated.`),
    section(`Instead, an inline policy *PicketRevokeOlderSessions* on ${code(roleName, 140) ?? ''} will deny every action to sessions issued before now (\`aws:TokenIssueTime\`). New sessions keep working.`),
    section(`*Protect list*: ${input.isProtected ? '🛡️ protected' : 'not protected'}`),
  ];
  return withProtection(meta, blocks, { ...input, facts: { keyId, userName: roleName } }, 'Revoke sessions');
}

function withProtection(meta: RemediateMeta, blocks: KnownBlock[], input: KeyViewInput, verb: string): ModalView {
  const json = JSON.stringify(meta);
  if (!input.isProtected) return modal(ViewId.remediate, TITLES[meta.op], blocks, json, verb);
  if (!input.twoPerson) {
    return modal(ViewId.remediate, TITLES[meta.op], [...blocks, context(['🛡️ This principal is on the protect list and this tenant does not allow remediating it from Slack.'])], json);
  }
  const note = `🛡️ Protected: a second responder must approve within ${input.windowMinutes} minutes before anything changes.`;
  return modal(ViewId.remediate, TITLES[meta.op], [...blocks, context([note])], json, 'Request approval');
}

export function refusalView(title: string, reason: string): ModalView {
  return modal(ViewId.remediate, title, [section(`🚫 ${reason}`)], '{}');
}

const dispositionOption = (d: Disposition): Option => ({ text: plain(DISPOSITIONS[d]), value: d });

export function closeView(alertId: string): ModalView {
  const blocks: KnownBlock[] = [
    {
      type: 'input',
      block_id: InputId.disposition.block,
      label: plain('Disposition'),
      element: { type: 'static_select', action_id: InputId.disposition.action, options: (['true_positive', 'benign', 'false_positive'] as const).map(dispositionOption) },
    },
    {
      type: 'input',
      block_id: InputId.note.block,
      optional: true,
      label: plain('Note'),
      element: { type: 'plain_text_input', action_id: InputId.note.action, multiline: true, max_length: 2000 },
    },
  ];
  return modal(ViewId.close, 'Close alert', blocks, JSON.stringify({ alertId }), 'Close alert');
}

export function suppressView(alertId: string, candidates: Record<string, string>, preselected: string[], days: number): ModalView {
  const options: Option[] = Object.entries(candidates).map(([path, value]) => ({ text: plain(`${path} = ${value}`.slice(0, 75)), value: path }));
  const initial = options.filter((o) => o.value !== undefined && preselected.includes(o.value));
  const blocks: KnownBlock[] = [
    section(`Mute this rule only where all the ticked fields match. Tick the principal or the resource: account or region alone is refused. At most ${days} days, your organisation's limit. The security team can review and revoke it at any time.`),
    {
      type: 'input',
      block_id: InputId.scope.block,
      label: plain('Only when'),
      element: { type: 'checkboxes', action_id: InputId.scope.action, options, ...(initial.length > 0 ? { initial_options: initial } : {}) },
    },
    {
      type: 'input',
      block_id: InputId.days.block,
      label: plain(`For how many days (at most ${days})`),
      element: { type: 'number_input', action_id: InputId.days.action, is_decimal_allowed: false, min_value: '1', max_value: String(days), initial_value: String(days) },
    },
    {
      type: 'input',
      block_id: InputId.reason.block,
      label: plain('Why is this expected?'),
      element: { type: 'plain_text_input', action_id: InputId.reason.action, max_length: 500 },
    },
  ];
  return modal(ViewId.suppress, 'Mute this rule', blocks, JSON.stringify({ alertId }), 'Mute');
}
