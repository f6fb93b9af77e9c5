/**
 * Lists every Block Kit limit a card breaks. The local Slack stand-in and the
 * tests reuse it, so it accepts any card shape and never throws; block types we
 * do not build are passed through without text checks.
 */
import { SlackLimits } from './slack-limits.js';
import type { Card } from './types.js';

type Rec = Record<string, unknown>;

const ANY_TEXT = ['plain_text', 'mrkdwn'] as const;
const PLAIN = ['plain_text'] as const;

interface Seen {
  actionIds: Set<string>;
  blockIds: Set<string>;
}

/** Where violations are collected while one card is walked. */
interface Walk {
  out: string[];
  seen: Seen;
}

function isRecord(v: unknown): v is Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function n(count: number): string {
  return count.toLocaleString('en-US');
}

function overLength(w: Walk, where: string, length: number, max: number): void {
  if (length > max) w.out.push(`${where}: ${n(length)} chars (max ${n(max)})`);
}

function overCount(w: Walk, where: string, list: unknown[], max: number, noun: string): void {
  if (list.length === 0) w.out.push(`${where}: empty`);
  if (list.length > max) w.out.push(`${where}: ${list.length} ${noun} (max ${max})`);
}

/** Checks one text object and returns its length for the payload total. */
function checkText(w: Walk, obj: unknown, where: string, max: number, types: readonly string[]): number {
  if (!isRecord(obj) || typeof obj.text !== 'string') {
    w.out.push(`${where}: text object missing`);
    return 0;
  }
  if (!types.includes(String(obj.type))) w.out.push(`${where}: type ${String(obj.type)} not allowed here`);
  if (obj.text.length === 0) w.out.push(`${where}: empty text`);
  overLength(w, where, obj.text.length, max);
  return obj.text.length;
}

function checkOptionalText(w: Walk, obj: unknown, where: string, max: number): number {
  return obj === undefined ? 0 : checkText(w, obj, where, max, PLAIN);
}

function checkConfirm(w: Walk, confirm: unknown, where: string): number {
  if (confirm === undefined) return 0;
  if (!isRecord(confirm)) {
    w.out.push(`${where}: confirm is not an object`);
    return 0;
  }
  return (
    checkText(w, confirm.text, `${where}.text`, SlackLimits.confirmText, ANY_TEXT) +
    checkOptionalText(w, confirm.title, `${where}.title`, SlackLimits.confirmTitle) +
    checkOptionalText(w, confirm.confirm, `${where}.confirm`, SlackLimits.confirmButton) +
    checkOptionalText(w, confirm.deny, `${where}.deny`, SlackLimits.confirmButton)
  );
}

function checkActionId(w: Walk, id: unknown, where: string): void {
  if (typeof id !== 'string') return;
  if (id.length === 0 || id.length > SlackLimits.actionId) {
    w.out.push(`${where}: ${n(id.length)} chars (1 to ${SlackLimits.actionId})`);
  }
  if (w.seen.actionIds.has(id)) w.out.push(`${where}: duplicate ${id.slice(0, 80)}`);
  w.seen.actionIds.add(id);
}

function checkUrl(w: Walk, url: unknown, where: string): void {
  if (url === undefined) return;
  if (typeof url !== 'string' || !/^https?:\/\//.test(url)) w.out.push(`${where}: not an http(s) URL`);
  else overLength(w, where, url.length, SlackLimits.buttonUrl);
}

function checkButton(w: Walk, el: Rec, where: string): number {
  checkActionId(w, el.action_id, `${where}.action_id`);
  if (typeof el.value === 'string') overLength(w, `${where}.value`, el.value.length, SlackLimits.buttonValue);
  checkUrl(w, el.url, `${where}.url`);
  const text = checkText(w, el.text, `${where}.text`, SlackLimits.buttonText, PLAIN);
  return text + checkConfirm(w, el.confirm, `${where}.confirm`);
}

function checkSection(w: Walk, b: Rec, where: string): number {
  let total = 0;
  if (b.text === undefined && b.fields === undefined) w.out.push(`${where}: section needs text or fields`);
  if (b.text !== undefined) total += checkText(w, b.text, `${where}.text`, SlackLimits.sectionText, ANY_TEXT);
  if (b.fields !== undefined) {
    const fields = Array.isArray(b.fields) ? b.fields : [];
    overCount(w, `${where}.fields`, fields, SlackLimits.fields, 'fields');
    fields.forEach((f, i) => (total += checkText(w, f, `${where}.fields[${i}]`, SlackLimits.fieldText, ANY_TEXT)));
  }
  const accessory = b.accessory;
  if (isRecord(accessory) && accessory.type === 'button') total += checkButton(w, accessory, `${where}.accessory`);
  return total;
}

function checkContext(w: Walk, b: Rec, where: string): number {
  const elements = Array.isArray(b.elements) ? b.elements : [];
  overCount(w, `${where}.elements`, elements, SlackLimits.contextElements, 'elements');
  let total = 0;
  elements.forEach((e, i) => {
    if (isRecord(e) && e.type === 'image') return;
    total += checkText(w, e, `${where}.elements[${i}]`, SlackLimits.textObject, ANY_TEXT);
  });
  return total;
}

function checkActions(w: Walk, b: Rec, where: string): number {
  const elements = Array.isArray(b.elements) ? b.elements : [];
  overCount(w, `${where}.elements`, elements, SlackLimits.actionsElements, 'elements');
  let total = 0;
  elements.forEach((e, i) => {
    if (isRecord(e) && e.type === 'button') total += checkButton(w, e, `${where}.elements[${i}]`);
  });
  return total;
}

function checkBlockId(w: Walk, b: Rec, where: string): void {
  if (b.block_id === undefined) return;
  const id = String(b.block_id);
  if (id.length === 0 || id.length > SlackLimits.blockId) {
    w.out.push(`${where}: ${n(id.length)} chars (1 to ${SlackLimits.blockId})`);
  }
  if (w.seen.blockIds.has(id)) w.out.push(`${where}: duplicate ${id.slice(0, 80)}`);
  w.seen.blockIds.add(id);
}

/** Text characters of one block; its violations go to the walk. */
function checkBlock(w: Walk, b: unknown, where: string): number {
  if (!isRecord(b)) {
    w.out.push(`${where}: not a block object`);
    return 0;
  }
  checkBlockId(w, b, `${where}.block_id`);
  switch (b.type) {
    case 'header':
      return checkText(w, b.text, `${where}.text`, SlackLimits.headerText, PLAIN);
    case 'section':
      return checkSection(w, b, where);
    case 'context':
      return checkContext(w, b, where);
    case 'actions':
      return checkActions(w, b, where);
    default:
      // Other block types (divider, image, rich_text...) have no text we budget for.
      return 0;
  }
}

/** Every limit the card breaks, as readable lines; an empty list means Slack will take it. */
export function validateCard(card: Card): string[] {
  if (!isRecord(card)) return ['card: not an object'];
  const w: Walk = { out: [], seen: { actionIds: new Set(), blockIds: new Set() } };
  if (typeof card.text !== 'string' || card.text.length === 0) w.out.push('text: fallback text missing');
  if (!Array.isArray(card.blocks)) return [...w.out, 'blocks: not an array'];

  overCount(w, 'blocks', card.blocks, SlackLimits.blocks, 'blocks');
  let total = typeof card.text === 'string' ? card.text.length : 0;
  card.blocks.forEach((b, i) => (total += checkBlock(w, b, `blocks[${i}]`)));
  overLength(w, 'payload', total, SlackLimits.payloadText);
  return w.out;
}
