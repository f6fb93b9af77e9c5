/**
 * A lint for finished cards: reports anything in a card's text that escaping
 * should have made impossible (raw `<`/`>`, a live @channel, control
 * characters, placeholder strings such as "undefined") and links that are not
 * https. Tests run it over hostile fixtures; the builders never need it.
 */
import type { Card } from './types.js';

type Rec = Record<string, unknown>;

const CHECKS: ReadonlyArray<{ pattern: RegExp; problem: string }> = [
  { pattern: /[<>]/, problem: 'raw < or >' },
  { pattern: /&(?!amp;|lt;|gt;)/, problem: 'bare &' },
  { pattern: /@(?:channel|here|everyone)\b/i, problem: 'live broadcast word' },
  { pattern: /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/, problem: 'control character' },
  { pattern: /\bundefined\b|\bNaN\b|\[object Object\]/, problem: 'placeholder string' },
];

function isRecord(v: unknown): v is Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function visit(v: unknown, path: string, out: string[]): void {
  if (Array.isArray(v)) {
    v.forEach((x, i) => visit(x, `${path}[${i}]`, out));
    return;
  }
  if (v === null) out.push(`${path}: null`);
  if (!isRecord(v)) return;
  for (const [key, value] of Object.entries(v)) {
    const where = `${path}.${key}`;
    if (key === 'text' && typeof value === 'string') checkText(value, where, out);
    else if (key === 'url' && typeof value === 'string') checkUrl(value, where, out);
    else visit(value, where, out);
  }
}

function checkUrl(url: string, where: string, out: string[]): void {
  if (!url.startsWith('https://')) out.push(`${where}: not https`);
}

function checkText(text: string, where: string, out: string[]): void {
  for (const { pattern, problem } of CHECKS) if (pattern.test(text)) out.push(`${where}: ${problem}`);
}

/** Every safety problem in the card; empty when the card is clean. */
export function auditCardSafety(card: Card): string[] {
  const out: string[] = [];
  checkText(String(card.text), 'text', out);
  visit(card.blocks, 'blocks', out);
  return out;
}
