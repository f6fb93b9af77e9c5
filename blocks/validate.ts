/**
 * Lists every Block Kit limit a card breaks. The local Slack stand-in and the
 * tests reuse it, so it accepts any card shape and never throws; block types we
 * do not build are passed through without text checks.
 */
import { SlackLimits } from './slack-limits.js';
import type { Card } from './types.js';

type Rec = Record<string, unknown>;

function isRecord(v: unknown): v is Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function n(count: number): string {
  return count.toLocaleString('en-US');
}

/** Every violation of a text object: missing, wrong type, empty, too long. */
function checkText(obj: unknown, where: string, max: number, types: readonly string[], out: string[]): number {
  if (!isRecord(obj) || typeof obj.text !== 'string') {
    out.push(`${where}: text object missing`);
    return 0;
  }
  if (!types.includes(String(obj.type))) out.push(`${where}: type ${String(obj.type)} not allowed here`);
  if (obj.text.length === 0) out.push(`${where}: empty text`);
  if (obj.text.length > max) out.push(`${where}: ${n(obj.text.length)} chars (max ${n(max)})`);
  return obj.text.length;
}

const ANY_TEXT = ['plain_text', 'mrkdwn'] as const;
const PLAIN = ['plain_text'] as const;

function checkConfirm(confirm: unknown, where: string, out: string[]): number {
  if (confirm === undefined) return 0;
  if (!isRecord(confirm)) {
    out.push(`${where}: confirm is not an object`);
    return 0;
  }
  let total = checkText(confirm.text, `${where}.text`, SlackLimits.confirmText, ANY_TEXT, out);
  if (confirm.title !== undefined) total += checkText(confirm.title, `${where}.title`, SlackLimits.confirmTitle, PLAIN, out);
  if (confirm.confirm !== undefined) total += checkText(confirm.confirm, `${where}.confirm`, SlackLimits.confirmButton, PLAIN, out);
  if (confirm.deny !== undefined) total += checkText(confirm.deny, `${where}.deny`, SlackLimits.confirmButton, PLAIN, out);
  return total;
}

interface Seen {
  actionIds: Set<string>;
  blockIds: Set<string>;
}

function checkButton(el: Rec, where: string, seen: Seen, out: string[]): number {
  const total = checkText(el.text, `${where}.text`, SlackLimits.buttonText, PLAIN, out);
  const id = el.action_id;
  if (typeof id === 'string') {
    if (id.length === 0 || id.length > SlackLimits.actionId) out.push(`${where}.action_id: ${n(id.length)} chars (1 to ${SlackLimits.actionId})`);
    if (seen.actionIds.has(id)) out.push(`${where}.action_id: duplicate ${id.slice(0, 80)}`);
    seen.actionIds.add(id);
  }
  if (typeof el.value === 'string' && el.value.length > SlackLimits.buttonValue) out.push(`${where}.value: ${n(el.value.length)} chars (max ${n(SlackLimits.buttonValue)})`);
  if (el.url !== undefined) checkUrl(el.url, `${where}.url`, out);
  return total + checkConfirm(el.confirm, `${where}.confirm`, out);
}

function checkUrl(url: unknown, where: string, out: string[]): void {
  if (typeof url !== 'string' || !/^https?:\/\//.test(url)) out.push(`${where}: not an http(s) URL`);
  else if (url.length > SlackLimits.buttonUrl) out.push(`${where}: ${n(url.length)} chars (max ${n(SlackLimits.buttonUrl)})`);
}

function checkSection(b: Rec, where: string, seen: Seen, out: string[]): number {
  let total = 0;
  if (b.text === undefined && b.fields === undefined) out.push(`${where}: section needs text or fields`);
  if (b.text !== undefined) total += checkText(b.text, `${where}.text`, SlackLimits.sectionText, ANY_TEXT, out);
  if (b.fields !== undefined) {
    const fields = Array.isArray(b.fields) ? b.fields : [];
    if (fields.length === 0) out.push(`${where}.fields: empty`);
    if (fields.length > SlackLimits.fields) out.push(`${where}.fields: ${fields.length} fields (max ${SlackLimits.fields})`);
    fields.forEach((f, i) => (total += checkText(f, `${where}.fields[${i}]`, SlackLimits.fieldText, ANY_TEXT, out)));
  }
  if (isRecord(b.accessory) && b.accessory.type === 'button') total += checkButton(b.accessory, `${where}.accessory`, seen, out);
  return total;
}

function checkContext(b: Rec, where: string, out: string[]): number {
  const elements = Array.isArray(b.elements) ? b.elements : [];
  if (elements.length === 0) out.push(`${where}.elements: empty`);
  if (elements.length > SlackLimits.contextElements) out.push(`${where}.elements: ${elements.length} elements (max ${SlackLimits.contextElements})`);
  let total = 0;
  elements.forEach((e, i) => {
    if (isRecord(e) && e.type === 'image') return;
    total += checkText(e, `${where}.elements[${i}]`, SlackLimits.textObject, ANY_TEXT, out);
  });
  return total;
}

function checkActions(b: Rec, where: string, seen: Seen, out: string[]): number {
  const elements = Array.isArray(b.elements) ? b.elements : [];
  if (elements.length === 0) out.push(`${where}.elements: empty`);
  if (elements.length > SlackLimits.actionsElements) out.push(`${where}.elements: ${elements.length} elements (max ${SlackLimits.actionsElements})`);
  let total = 0;
  elements.forEach((e, i) => {
    if (isRecord(e) && e.type === 'button') total += checkButton(e, `${where}.elements[${i}]`, seen, out);
  });
  return total;
}

function checkBlockId(b: Rec, where: string, seen: Seen, out: string[]): void {
  if (b.block_id === undefined) return;
  const id = String(b.block_id);
  if (id.length === 0 || id.length > SlackLimits.blockId) out.push(`${where}.block_id: ${n(id.length)} chars (1 to ${SlackLimits.blockId})`);
  if (seen.blockIds.has(id)) out.push(`${where}.block_id: duplicate ${id.slice(0, 80)}`);
  seen.blockIds.add(id);
}

/** Text characters of one block, with its violations appended to `out`. */
function checkBlock(b: unknown, where: string, seen: Seen, out: string[]): number {
  if (!isRecord(b)) {
    out.push(`${where}: not a block object`);
    return 0;
  }
  checkBlockId(b, where, seen, out);
  switch (b.type) {
    case 'header':
      return checkText(b.text, `${where}.text`, SlackLimits.headerText, PLAIN, out);
    case 'section':
      return checkSection(b, where, seen, out);
    case 'context':
      return checkContext(b, where, out);
    case 'actions':
      return checkActions(b, where, seen, out);
    default:
      // Other block types (divider, image, rich_text...) have no text we budget for.
      return 0;
  }
}

/** Every limit the card breaks, as readable lines; an empty list means Slack will take it. */
export function validateCard(card: Card): string[] {
  const out: string[] = [];
  if (!isRecord(card)) return ['card: not an object'];
  if (typeof card.text !== 'string' || card.text.length === 0) out.push('text: fallback text missing');
  if (!Array.isArray(card.blocks)) return [...out, 'blocks: not an array'];
  if (card.blocks.length === 0) out.push('blocks: empty');
  if (card.blocks.length > SlackLimits.blocks) out.push(`blocks: ${card.blocks.length} blocks (max ${SlackLimits.blocks})`);

  const seen: Seen = { actionIds: new Set(), blockIds: new Set() };
  let total = typeof card.text === 'string' ? card.text.length : 0;
  card.blocks.forEach((b, i) => (total += checkBlock(b, `blocks[${i}]`, seen, out)));
  if (total > SlackLimits.payloadText) out.push(`payload: ${n(total)} chars of text (max ${n(SlackLimits.payloadText)})`);
  return out;
}
