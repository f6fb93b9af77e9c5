/**
 * The final guard every builder runs: whatever a card holds, the result fits
 * Slack's limits. Builders already budget each value, so this rarely changes
 * anything; it exists for inputs nobody anticipated and for cards built
 * elsewhere. It clamps and never throws.
 */
import type { KnownBlock } from '@slack/types';
import { truncate } from './escape.js';
import { SlackLimits } from './slack-limits.js';
import type { Card } from './types.js';

type Rec = Record<string, unknown>;

/** Texts are not shrunk below this when the whole card is over budget. */
const SHRINK_FLOOR = 100;

function isRecord(v: unknown): v is Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function clampText(obj: unknown, max: number): void {
  if (!isRecord(obj) || typeof obj.text !== 'string') return;
  obj.text = obj.text.length === 0 ? '-' : truncate(obj.text, max);
}

function clampConfirm(confirm: unknown): void {
  if (!isRecord(confirm)) return;
  clampText(confirm.title, SlackLimits.confirmTitle);
  clampText(confirm.text, SlackLimits.confirmText);
  clampText(confirm.confirm, SlackLimits.confirmButton);
  clampText(confirm.deny, SlackLimits.confirmButton);
}

function clampButton(el: Rec): void {
  clampText(el.text, SlackLimits.buttonText);
  if (typeof el.action_id === 'string') el.action_id = el.action_id.slice(0, SlackLimits.actionId);
  if (typeof el.value === 'string') el.value = el.value.slice(0, SlackLimits.buttonValue);
  // A cut URL points somewhere else; no link is better than a wrong one.
  if (typeof el.url === 'string' && el.url.length > SlackLimits.buttonUrl) delete el.url;
  clampConfirm(el.confirm);
}

function clampElements(b: Rec, max: number): unknown[] {
  const elements = Array.isArray(b.elements) ? b.elements.slice(0, max) : [];
  b.elements = elements;
  return elements;
}

function clampBlock(b: unknown): void {
  if (!isRecord(b)) return;
  if (typeof b.block_id === 'string') b.block_id = b.block_id.slice(0, SlackLimits.blockId);

  if (b.type === 'header') clampText(b.text, SlackLimits.headerText);
  if (b.type === 'section') {
    clampText(b.text, SlackLimits.sectionText);
    if (Array.isArray(b.fields)) b.fields = b.fields.slice(0, SlackLimits.fields);
    if (Array.isArray(b.fields)) b.fields.forEach((f) => clampText(f, SlackLimits.fieldText));
    if (isRecord(b.accessory) && b.accessory.type === 'button') clampButton(b.accessory);
  }
  if (b.type === 'context') {
    clampElements(b, SlackLimits.contextElements).forEach((e) => clampText(e, SlackLimits.textObject));
  }
  if (b.type === 'actions') {
    clampElements(b, SlackLimits.actionsElements).forEach((e) => isRecord(e) && e.type === 'button' && clampButton(e));
  }
}

/** Over 50 blocks: keep the head and the trailing actions/context, note what went. */
function clampCount(blocks: unknown[]): unknown[] {
  if (blocks.length <= SlackLimits.blocks) return blocks;
  let tailStart = blocks.length;
  while (tailStart > blocks.length - 2 && isTail(blocks[tailStart - 1])) tailStart -= 1;

  const tail = blocks.slice(tailStart);
  const head = blocks.slice(0, SlackLimits.blocks - 1 - tail.length);
  const dropped = blocks.length - head.length - tail.length;
  const text = `…${dropped} more blocks left out`;
  const note = { type: 'context', elements: [{ type: 'mrkdwn', text, verbatim: true }] };
  return [...head, note, ...tail];
}

function isTail(b: unknown): boolean {
  return isRecord(b) && (b.type === 'actions' || b.type === 'context');
}

/** The text objects the budget may shorten: section text, fields and context lines. */
function shrinkable(blocks: unknown[]): Rec[] {
  const out: Rec[] = [];
  const add = (o: unknown): void => {
    if (isRecord(o) && typeof o.text === 'string') out.push(o);
  };
  for (const b of blocks) {
    if (!isRecord(b)) continue;
    if (b.type === 'section') [b.text, ...(Array.isArray(b.fields) ? b.fields : [])].forEach(add);
    if (b.type === 'context' && Array.isArray(b.elements)) b.elements.forEach(add);
  }
  return out;
}

function textLength(v: unknown): number {
  if (typeof v === 'string') return 0;
  if (Array.isArray(v)) return v.reduce((sum: number, x) => sum + textLength(x), 0);
  if (!isRecord(v)) return 0;
  let sum = 0;
  for (const [key, value] of Object.entries(v)) {
    sum += key === 'text' && typeof value === 'string' ? value.length : textLength(value);
  }
  return sum;
}

/** Cut the longest texts first until the card's text fits our payload ceiling. */
function fitBudget(blocks: unknown[], fallbackLength: number): unknown[] {
  const total = (): number => fallbackLength + textLength(blocks);
  for (let round = 0; round < 200 && total() > SlackLimits.payloadText; round += 1) {
    const longest = shrinkable(blocks).sort((a, b) => String(b.text).length - String(a.text).length)[0];
    const length = String(longest?.text ?? '').length;
    if (longest === undefined || length <= SHRINK_FLOOR) break;
    longest.text = truncate(String(longest.text), Math.max(SHRINK_FLOOR, length - (total() - SlackLimits.payloadText)));
  }
  while (total() > SlackLimits.payloadText && dropOneSection(blocks)) {
    // dropOneSection removed the last section; loop re-measures.
  }
  return blocks;
}

function dropOneSection(blocks: unknown[]): boolean {
  for (let i = blocks.length - 1; i > 0; i -= 1) {
    const b = blocks[i];
    if (isRecord(b) && b.type === 'section') {
      blocks.splice(i, 1);
      return true;
    }
  }
  return false;
}

function clampCard(card: Card): Card {
  const raw: unknown = card.text;
  const text = typeof raw === 'string' && raw.length > 0 ? truncate(raw, 3000) : 'Picket alert';
  const blocks: unknown[] = Array.isArray(card.blocks) ? structuredClone(card.blocks) : [];
  blocks.forEach(clampBlock);
  // Shapes were only narrowed or shortened, never changed, so they are still blocks.
  return { text, blocks: fitBudget(clampCount(blocks), text.length) as KnownBlock[] };
}

export function enforceLimits(card: Card): Card {
  try {
    return clampCard(card);
  } catch {
    // Only an exotic object (getters that throw, cycles) gets here; post a stub rather than nothing.
    const stub = { type: 'plain_text' as const, text: 'This card could not be rendered.' };
    return { text: 'Picket alert', blocks: [{ type: 'section', text: stub }] };
  }
}
