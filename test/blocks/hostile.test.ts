import { describe, expect, it } from 'vitest';
import { buildAlertCard, buildCard, buildUpdateNote } from '../../blocks/alert-card.js';
import { buildDuetCard } from '../../blocks/duet-card.js';
import { SlackLimits, validateCard } from '../../blocks/limits.js';
import { auditCardSafety } from '../../blocks/safety.js';
import type { Card, CardOptions } from '../../blocks/types.js';
import type { Decision, RuleHit } from '../../src/model/decision.js';
import type { Signal } from '../../src/model/signal.js';
import { cardJson, makeDecision, makeHit, makeSignal, sectionTexts } from './factory.js';

const HUGE = 100 * 1024;

/** Strings an attacker can plant in finding fields: user agents, names, tags, command lines. */
const HOSTILE = [
  '<!channel> wake up',
  '<http://evil.example|click here>',
  '<@U0123> <!subteam^S0123|@security> <#C0123>',
  '@here @channel @everyone',
  '*bold* _italic_ ~strike~ `code` ```fence``` > quote',
  'ctl\u0000\u0007\u001b[31mred\u001b[0m\u007f\u0085\u202Eevil',
  '&lt;!channel&gt; & &amp; <>',
  `${'<!channel>'.repeat(HUGE / 10)}`,
];

function hostileSignal(s: string): Signal {
  return makeSignal({
    id: s,
    type: s,
    title: s,
    description: `${s}\nsecond line ${s}`,
    accountId: s,
    region: s,
    partition: s,
    arn: s,
    firstSeen: s,
    lastSeen: s,
    resource: { type: s, id: s, detail: s, tags: { [s]: s, Name: s } },
    actor: { type: s, userName: s, principalId: s, arn: s, accessKeyId: s, roleName: s, sessionName: s, accountId: s, groups: [s, s] },
    remotes: [{ ip: s, domain: s, port: 22, protocol: s, country: s, city: s, asn: s, asnOrg: s, isp: s, userAgent: s }],
    action: s,
    api: s,
    serviceName: s,
    process: { name: s, executablePath: s, commandLine: s, user: s, pid: 7 },
  });
}

function hostileHit(s: string): RuleHit {
  return makeHit({ ruleId: s, title: s, question: s, firstAction: s, runbook: [s, s, s] });
}

function hostileDecision(s: string, outcome: Decision['outcome']): Decision {
  return makeDecision({ outcome, reason: s, hits: [hostileHit(s), hostileHit(s)] });
}

function hostileOpts(s: string): CardOptions {
  return { tenantName: s, note: s, wrapper: s };
}

function checkClean(card: Card): void {
  expect(validateCard(card)).toEqual([]);
  expect(auditCardSafety(card)).toEqual([]);
  // Button values go back to our handler only; Slack never renders them.
  const json = cardJson(card).replace(/"value":"(?:[^"\\]|\\.)*"/g, '"value":""');
  for (const live of ['<!channel>', '<!subteam', '<@U0123>', '<#C0123>', '<http', '\u001b', '\u0000']) expect(json).not.toContain(live);
}

describe('hostile text in every field that reaches a card', () => {
  it.each(HOSTILE.map((s) => [JSON.stringify(s).slice(0, 40), s]))('alert card: %s', (_label, s) => {
    checkClean(buildAlertCard(hostileSignal(s), hostileDecision(s, 'alert'), hostileOpts(s)));
  });

  it.each(HOSTILE.map((s) => [JSON.stringify(s).slice(0, 40), s]))('DUET card: %s', (_label, s) => {
    checkClean(buildDuetCard(hostileSignal(s), hostileDecision(s, 'duet'), hostileOpts(s)));
  });

  it.each(HOSTILE.map((s) => [JSON.stringify(s).slice(0, 40), s]))('suppressed card: %s', (_label, s) => {
    checkClean(buildCard(hostileSignal(s), hostileDecision(s, 'suppressed'), hostileOpts(s)));
  });

  it('never links anywhere but the console, and not at all for hostile ids', () => {
    const card = buildAlertCard(hostileSignal('<http://evil.example|x>'), makeDecision());
    expect(cardJson(card)).not.toContain('"url"');
  });

  it('keeps formatting characters inside code spans', () => {
    const card = buildAlertCard(makeSignal({ actor: { userName: '*bold* _it_ `tick`' } }), makeDecision());
    expect(cardJson(card)).toContain('*User*  `*bold* _it_ ˋtickˋ`');
  });

  it('keeps the thread note clean', () => {
    const note = buildUpdateNote({ count: 1 }, hostileSignal('<!channel>'));
    expect(note).not.toContain('<');
    expect(note.length).toBeLessThanOrEqual(300);
  });
});

describe('oversized evidence still makes a valid card', () => {
  const big = makeSignal({
    description: 'd'.repeat(HUGE),
    remotes: Array.from({ length: 500 }, (_, i) => ({ ip: `198.51.100.${i % 256}`, port: i, userAgent: `${'Mozilla/5.0 '.repeat(HUGE / 12)}${i}` })),
    process: { name: 'bash', commandLine: `bash -c "${'A'.repeat(10 * 1024)}"`, pid: 1 },
    resource: { type: 'Instance', id: 'i-1', tags: Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${i}`, 'v'.repeat(5000)])) },
  });
  const decision = makeDecision({ hits: Array.from({ length: 40 }, (_, i) => makeHit({ ruleId: `r${i}`, runbook: Array(30).fill('s'.repeat(2000)) })) });

  it.each([
    ['alert', buildAlertCard(big, decision)],
    ['DUET', buildDuetCard(big, { ...decision, outcome: 'duet' })],
  ])('%s card', (_name, card) => {
    expect(validateCard(card)).toEqual([]);
    expect(auditCardSafety(card)).toEqual([]);
  });

  it('cuts the 100 KB user agent with a visible marker', () => {
    const agent = big.remotes[0]?.userAgent ?? '';
    expect(agent.length).toBe(102_397);
    const remotes = sectionTexts(buildAlertCard(big, decision)).find((t) => t.startsWith('*Remotes'));
    expect(remotes?.split('\n').at(-1)).toBe(`*User agent*  \`${agent.slice(0, 272)}…[truncated 102,125 chars]\``);
  });

  it('cuts the description with a visible marker', () => {
    const card = buildAlertCard(big, decision);
    expect(cardJson(card)).toContain(`"text":"${'d'.repeat(774)}…[truncated 101,626 chars]"`);
  });

  it('cuts the 10 KB command line inside its code block', () => {
    const text = cardJson(buildAlertCard(big, decision));
    expect(text).toMatch(/\*Command line\*\\n```\\nbash -c \\"A+…\[truncated 9,[\d]{3} chars\]\\n```/);
  });

  it('stays comfortably under the payload ceiling', () => {
    const card = buildAlertCard(big, decision);
    const total = card.text.length + cardJson(card.blocks).length;
    expect(total).toBeLessThan(SlackLimits.payloadText);
  });
});

describe('missing everything', () => {
  const PLACEHOLDERS = /undefined|NaN|null|\[object Object\]/;

  const bare = {
    source: 'guardduty',
    id: '',
    type: '',
    title: '',
    partition: '',
    severity: Number.NaN,
    severityLabel: 'Bogus',
    count: Number.NaN,
    sample: false,
    archived: false,
    resource: { type: '' },
    remotes: [],
    doc: {},
  } as unknown as Signal;

  const wrongTypes = makeSignal({
    title: {} as unknown as string,
    accountId: 12 as unknown as string,
    firstSeen: 'not a date',
    lastSeen: null as unknown as string,
    resource: { type: {} as unknown as string, id: 'null', detail: 'undefined', tags: { a: {} as unknown as string } },
    actor: { userName: [] as unknown as string, groups: 'admins' as unknown as string[] },
    remotes: [null, {}, { port: Number.NaN }] as unknown as Signal['remotes'],
    process: { pid: Number.NaN, commandLine: '   ' },
  });

  const cases: Array<[string, Signal, Decision]> = [
    ['an empty signal', bare, { outcome: 'alert', hits: [] } as unknown as Decision],
    ['no fields at all', {} as unknown as Signal, {} as unknown as Decision],
    ['wrong types in every slot', wrongTypes, makeDecision({ hits: [{} as unknown as RuleHit, null as unknown as RuleHit] })],
  ];

  it.each(cases)('alert card for %s', (_name, signal, decision) => {
    const card = buildAlertCard(signal, decision);
    expect(validateCard(card)).toEqual([]);
    expect(cardJson(card)).not.toMatch(PLACEHOLDERS);
  });

  it.each(cases)('DUET card for %s', (_name, signal, decision) => {
    const card = buildDuetCard(signal, decision);
    expect(validateCard(card)).toEqual([]);
    expect(cardJson(card)).not.toMatch(PLACEHOLDERS);
  });

  it('gives a generic card for an empty signal', () => {
    const card = buildAlertCard(bare, { outcome: 'alert', hits: [] } as unknown as Decision);
    expect(card.text).toBe('⚪ Informational: Security finding');
    expect(cardJson(card.blocks[0])).toBe('{"type":"header","text":{"type":"plain_text","text":"⚪ Security finding","emoji":true}}');
  });
});
