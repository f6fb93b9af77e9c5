/**
 * Cards for a terminal (local mode, `picket triage`) and a link that opens a
 * card in Slack's Block Kit Builder. Rendering undoes our escaping for human
 * eyes; control characters are stripped again so a card built elsewhere
 * cannot smuggle terminal escape sequences through.
 */
import type { Card } from './types.js';

type Rec = Record<string, unknown>;

const RULE = '─'.repeat(48);

function isRecord(v: unknown): v is Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function unescapeForTerminal(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** mrkdwn to readable text: `*Label*` at a line start becomes `Label:`, code fences become indented lines. */
function mrkdwnToText(s: string, isField: boolean): string {
  const fenced = s.replace(/```\n?([\s\S]*?)\n?```/g, (_m, body: string) =>
    body
      .split('\n')
      .map((line) => `    ${line}`)
      .join('\n'),
  );
  const labelled = isField
    ? fenced.replace(/^\*([^*\n]{1,60})\*\n/, '$1: ')
    : fenced.replace(/^\*([^*\n]{1,60})\*( {1,2})?/gm, (_m, label: string, gap?: string) =>
        gap ? `${label}: ` : `${label}:`,
      );
  return unescapeForTerminal(labelled);
}

function textOf(obj: unknown, isField = false): string | undefined {
  if (!isRecord(obj) || typeof obj.text !== 'string') return undefined;
  return obj.type === 'mrkdwn' ? mrkdwnToText(obj.text, isField) : unescapeForTerminal(obj.text);
}

function buttonText(el: unknown): string | undefined {
  if (!isRecord(el) || el.type !== 'button') return undefined;
  const label = textOf(el.text) ?? 'button';
  return typeof el.url === 'string' ? `[${label} → ${el.url}]` : `[${label}]`;
}

function elementsOf(b: Rec): unknown[] {
  return Array.isArray(b.elements) ? b.elements : [];
}

function renderBlock(b: unknown): string | undefined {
  if (!isRecord(b)) return undefined;
  switch (b.type) {
    case 'header': {
      const text = textOf(b.text) ?? '';
      return `${text}\n${RULE}`;
    }
    case 'section': {
      const fields = Array.isArray(b.fields) ? b.fields.map((f) => textOf(f, true)).filter((f) => f !== undefined) : [];
      return [textOf(b.text), ...fields].filter((t) => t !== undefined).join('\n');
    }
    case 'context':
      return elementsOf(b).map((e) => textOf(e)).filter((t) => t !== undefined).join('\n');
    case 'actions':
      return elementsOf(b).map(buttonText).filter((t) => t !== undefined).join(' ');
    case 'divider':
      return RULE;
    default:
      return undefined;
  }
}

/** The card as plain lines, blocks separated by a blank line. */
export function renderCardText(card: Card): string {
  const blocks: unknown[] = Array.isArray(card.blocks) ? card.blocks : [];
  const parts = blocks.map(renderBlock).filter((p): p is string => p !== undefined && p !== '');
  return `${parts.join('\n\n')}\n`;
}

/** Opens the card in Slack's Block Kit Builder for a visual check. */
export function blockKitBuilderUrl(card: Card): string {
  return `https://app.slack.com/block-kit-builder/#${encodeURIComponent(JSON.stringify({ blocks: card.blocks }))}`;
}
