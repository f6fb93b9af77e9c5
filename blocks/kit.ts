/**
 * Small constructors for the handful of Block Kit shapes Picket uses. Every
 * mrkdwn object is `verbatim: true` so Slack never auto-links URLs or turns
 * names into mentions inside text that came from a finding. Callers pass text
 * that is already escaped.
 */
import type {
  ActionsBlock,
  Button,
  ContextBlock,
  DividerBlock,
  HeaderBlock,
  MrkdwnElement,
  PlainTextElement,
  SectionBlock,
} from '@slack/types';

export function mrkdwn(text: string): MrkdwnElement {
  return { type: 'mrkdwn', text, verbatim: true };
}

export function plain(text: string): PlainTextElement {
  return { type: 'plain_text', text, emoji: true };
}

export function header(text: string): HeaderBlock {
  return { type: 'header', text: plain(text) };
}

export function section(text: string): SectionBlock {
  return { type: 'section', text: mrkdwn(text) };
}

export function plainSection(text: string): SectionBlock {
  return { type: 'section', text: plain(text) };
}

export function fieldsSection(fields: string[]): SectionBlock {
  return { type: 'section', fields: fields.map(mrkdwn) };
}

export function context(lines: string[]): ContextBlock {
  return { type: 'context', elements: lines.map(mrkdwn) };
}

export function divider(): DividerBlock {
  return { type: 'divider' };
}

export function actions(blockId: string, elements: Button[]): ActionsBlock {
  return { type: 'actions', block_id: blockId, elements };
}

export interface ButtonSpec {
  text: string;
  actionId: string;
  value?: string;
  url?: string;
  style?: 'primary' | 'danger';
}

export function button(spec: ButtonSpec): Button {
  const out: Button = { type: 'button', text: plain(spec.text), action_id: spec.actionId };
  if (spec.value !== undefined) out.value = spec.value;
  if (spec.url !== undefined) out.url = spec.url;
  if (spec.style !== undefined) out.style = spec.style;
  return out;
}
