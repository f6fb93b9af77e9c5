import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { enforceLimits, SlackLimits, validateCard } from '../../blocks/limits.js';
import type { Card } from '../../blocks/types.js';

const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const button = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'button',
  text: { type: 'plain_text', text: 'Go' },
  action_id: 'picket.test.go',
  ...over,
});
const actionsOf = (...elements: Array<Record<string, unknown>>): KnownBlock => ({ type: 'actions', elements } as unknown as KnownBlock);
const card = (...blocks: KnownBlock[]): Card => ({ text: 'fallback', blocks });

/** Cards that break exactly one limit each, with the one violation validateCard must report. */
const VIOLATIONS: Array<[string, Card, string]> = [
  ['51 blocks', card(...Array.from({ length: 51 }, () => section('x'))), 'blocks: 51 blocks (max 50)'],
  ['a 151-char header', card({ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }), 'blocks[0].text: 151 chars (max 150)'],
  ['a mrkdwn header', card({ type: 'header', text: { type: 'mrkdwn', text: 'h' } } as unknown as KnownBlock), 'blocks[0].text: type mrkdwn not allowed here'],
  ['a 3,001-char section', card(section('s'.repeat(3001))), 'blocks[0].text: 3,001 chars (max 3,000)'],
  ['an empty section text', card(section('')), 'blocks[0].text: empty text'],
  ['a section with neither text nor fields', card({ type: 'section' } as KnownBlock), 'blocks[0]: section needs text or fields'],
  [
    '11 fields',
    card({ type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn' as const, text: 'f' })) }),
    'blocks[0].fields: 11 fields (max 10)',
  ],
  ['a 2,001-char field', card({ type: 'section', fields: [{ type: 'mrkdwn', text: 'f'.repeat(2001) }] }), 'blocks[0].fields[0]: 2,001 chars (max 2,000)'],
  ['76-char button text', card(actionsOf(button({ text: { type: 'plain_text', text: 'b'.repeat(76) } }))), 'blocks[0].elements[0].text: 76 chars (max 75)'],
  ['a 2,001-char button value', card(actionsOf(button({ value: 'v'.repeat(2001) }))), 'blocks[0].elements[0].value: 2,001 chars (max 2,000)'],
  ['a 256-char action id', card(actionsOf(button({ action_id: 'a'.repeat(256) }))), 'blocks[0].elements[0].action_id: 256 chars (1 to 255)'],
  ['a duplicate action id', card(actionsOf(button(), button())), 'blocks[0].elements[1].action_id: duplicate picket.test.go'],
  ['a javascript: url', card(actionsOf(button({ url: 'javascript:alert(1)' }))), 'blocks[0].elements[0].url: not an http(s) URL'],
  [
    'a 301-char confirm text',
    card(actionsOf(button({ confirm: { text: { type: 'plain_text', text: 'c'.repeat(301) } } }))),
    'blocks[0].elements[0].confirm.text: 301 chars (max 300)',
  ],
  [
    '11 context elements',
    card({ type: 'context', elements: Array.from({ length: 11 }, () => ({ type: 'mrkdwn' as const, text: 'c' })) }),
    'blocks[0].elements: 11 elements (max 10)',
  ],
  ['a 256-char block id', card({ ...section('x'), block_id: 'b'.repeat(256) } as KnownBlock), 'blocks[0].block_id: 256 chars (1 to 255)'],
  ['over 12,000 chars of text', card(...Array.from({ length: 5 }, () => section('s'.repeat(2500)))), 'payload: 12,508 chars (max 12,000)'],
  ['no fallback text', { text: '', blocks: [section('x')] }, 'text: fallback text missing'],
  ['no blocks', { text: 'x', blocks: [] }, 'blocks: empty'],
];

describe('validateCard', () => {
  it.each(VIOLATIONS)('reports %s', (_name, bad, violation) => {
    expect(validateCard(bad)).toEqual([violation]);
  });

  it('accepts a card that sits exactly on every limit', () => {
    const edge = card(
      { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(SlackLimits.headerText) } },
      { type: 'section', fields: Array.from({ length: SlackLimits.fields }, () => ({ type: 'mrkdwn' as const, text: 'f'.repeat(100) })) },
      section('s'.repeat(SlackLimits.sectionText)),
      actionsOf(button({ text: { type: 'plain_text', text: 'b'.repeat(75) }, value: 'v'.repeat(2000), action_id: 'a'.repeat(255) })),
    );
    expect(validateCard(edge)).toEqual([]);
  });

  it('does not throw on garbage', () => {
    expect(validateCard(null as unknown as Card)).toEqual(['card: not an object']);
    expect(validateCard({ text: 'x', blocks: 'nope' } as unknown as Card)).toEqual(['blocks: not an array']);
    expect(validateCard({ text: 'x', blocks: [42] } as unknown as Card)).toEqual(['blocks[0]: not a block object']);
  });
});

describe('enforceLimits', () => {
  const fixable = VIOLATIONS.filter(([name]) => !['a mrkdwn header', 'a section with neither text nor fields', 'a duplicate action id', 'a javascript: url', 'no blocks'].includes(name));

  it.each(fixable)('repairs %s', (_name, bad) => {
    expect(validateCard(enforceLimits(bad))).toEqual([]);
  });

  it('does not change a card that is already within limits', () => {
    const ok = card(section('hello'), actionsOf(button({ value: '{"findingId":"f"}' })));
    expect(enforceLimits(ok)).toEqual(ok);
  });

  it('keeps the trailing actions and context when it drops blocks', () => {
    const many = card(
      ...Array.from({ length: 60 }, (_, i) => section(`s${i}`)),
      actionsOf(button()),
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'ctx' }] },
    );
    const out = enforceLimits(many);
    expect(out.blocks).toHaveLength(50);
    expect(out.blocks.slice(-3).map((b) => b.type)).toEqual(['context', 'actions', 'context']);
    expect(JSON.stringify(out.blocks.at(-3))).toContain('…13 more blocks left out');
  });

  it('shortens the longest texts first with a visible marker', () => {
    const out = enforceLimits(card(section('a'.repeat(2900)), section('b'.repeat(2900)), section('c'.repeat(2900)), section('d'.repeat(2900)), section('e'.repeat(2900))));
    expect(validateCard(out)).toEqual([]);
    expect(JSON.stringify(out)).toMatch(/…\[truncated [\d,]+ chars\]/);
  });

  it('drops a cut-off URL rather than link somewhere else', () => {
    const out = enforceLimits(card(actionsOf(button({ url: `https://example.com/${'x'.repeat(3000)}` }))));
    expect(JSON.stringify(out)).not.toContain('"url"');
  });

  it('never throws, whatever it is given', () => {
    expect(() => enforceLimits({} as Card)).not.toThrow();
    expect(enforceLimits({} as Card).text).toBe('Picket alert');
    const cyclic: Record<string, unknown> = { type: 'section' };
    cyclic.self = cyclic;
    expect(() => enforceLimits(card(cyclic as unknown as KnownBlock))).not.toThrow();
  });
});
