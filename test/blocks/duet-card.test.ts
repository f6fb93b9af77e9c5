import { describe, expect, it } from 'vitest';
import { ActionId } from '../../blocks/action-ids.js';
import { encodeButtonValue, parseButtonValue } from '../../blocks/button-value.js';
import { buildDuetCard, genericQuestion } from '../../blocks/duet-card.js';
import { validateCard } from '../../blocks/limits.js';
import { auditCardSafety } from '../../blocks/safety.js';
import type { Signal } from '../../src/model/signal.js';
import {
  FINDING_ID,
  blocksOf,
  buttonsOf,
  contextTexts,
  duetDecision,
  fieldsOf,
  headerOf,
  makeSignal,
  sectionTexts,
} from './factory.js';

function questionOf(card: { blocks: unknown[] }): string {
  const block = blocksOf(card).find((b) => b.type === 'section' && (b.text as { type?: string } | undefined)?.type === 'plain_text');
  return String((block?.text as { text?: string } | undefined)?.text);
}

describe('buildDuetCard', () => {
  const decision = duetDecision({
    question: 'Did you expect alice to read secret prod/db from 198.51.100.7?',
    firstAction: 'Rotate the secret prod/db and tell #security.',
  });
  const card = buildDuetCard(makeSignal(), decision);

  it('asks the rule’s question as plain text under a question-mark header', () => {
    expect(headerOf(card)).toBe('❓ API GetSecretValue was invoked from a known malicious IP address.');
    expect(questionOf(card)).toBe('Did you expect alice to read secret prod/db from 198.51.100.7?');
  });

  it('offers Yes and No with the DUET action ids, then the console link', () => {
    const buttons = buttonsOf(card);
    expect(buttons.map((b) => [b.action_id, (b.text as { text: string }).text, b.style])).toEqual([
      [ActionId.duetYes, 'Yes, I expected this', 'primary'],
      [ActionId.duetNo, 'No, this was not expected', 'danger'],
      [ActionId.openConsole, 'Open in GuardDuty', undefined],
    ]);
  });

  it('carries {findingId, ruleId} in the Yes and No values', () => {
    const [yes, no] = buttonsOf(card);
    expect(yes?.value).toBe(`{"findingId":"${FINDING_ID}","ruleId":"picket-gd-malicious-ip"}`);
    expect(parseButtonValue(String(no?.value))).toEqual({ findingId: FINDING_ID, ruleId: 'picket-gd-malicious-ip' });
  });

  it('says what to do first', () => {
    expect(sectionTexts(card)).toContain('*First thing to do if this was not expected*\nRotate the secret prod/db and tell #security.');
  });

  it('shows the short facts the owner needs', () => {
    expect(fieldsOf(card)).toEqual([
      '*Severity*\n🟡 Medium 5.0',
      '*Account*\n`111122223333`',
      '*Region*\n`eu-west-1`',
      '*Resource*\nIAM access key `AKIAIOSFODNN7EXAMPLE`',
      '*Who*\n`alice`',
      '*From*\n`198.51.100.7`',
      '*When*\n2026-03-01 12:30:05 UTC',
      '*Count*\n3',
    ]);
  });

  it('names the rule in the context', () => {
    expect(contextTexts(card)[0]).toBe('*Rule that fired*\n• API call from a malicious IP `picket-gd-malicious-ip`');
  });

  it('is valid and safe', () => {
    expect(validateCard(card)).toEqual([]);
    expect(auditCardSafety(card)).toEqual([]);
    expect(card.text).toBe('Quick check: Did you expect alice to read secret prod/db from 198.51.100.7?');
  });

  it('falls back to a default first step without one from the rule', () => {
    const plain = buildDuetCard(makeSignal(), duetDecision());
    expect(sectionTexts(plain)).toContain(
      '*First thing to do if this was not expected*\nIf you did not expect this, press No and leave everything as it is: the security team takes it from there.',
    );
  });

  it('escapes a hostile rendered question', () => {
    const hostile = buildDuetCard(makeSignal(), duetDecision({ question: 'Did <!channel> expect <http://evil|this>? @here' }));
    expect(questionOf(hostile)).toBe('Did &lt;!channel&gt; expect &lt;http://evil|this&gt;? @\u200Dhere');
    expect(auditCardSafety(hostile)).toEqual([]);
  });
});

describe('genericQuestion', () => {
  it.each<[string, Partial<Signal>, string]>([
    ['an API call', {}, 'Did you expect alice to call GetSecretValue on AKIAIOSFODNN7EXAMPLE in account 111122223333 from 198.51.100.7?'],
    [
      'a network finding without an API',
      { api: undefined, actor: undefined, title: 'EC2 instance is probed on port 22', resource: { type: 'Instance', id: 'i-1' } },
      'Did you expect "EC2 instance is probed on port 22" on i-1 in account 111122223333 from 198.51.100.7?',
    ],
    [
      'a CloudTrail event',
      { source: 'cloudtrail', api: undefined, action: 'StopLogging', actor: { roleName: 'ops' }, remotes: [], resource: { type: 'Trail' } },
      'Did you expect ops to call StopLogging in account 111122223333?',
    ],
    [
      'nothing at all',
      { title: '', type: '', actor: undefined, api: undefined, accountId: undefined, remotes: [], resource: { type: '' } },
      'Did you expect "Security finding"?',
    ],
  ])('for %s', (_name, over, expected) => {
    expect(genericQuestion(makeSignal(over))).toBe(expected);
  });

  it('is what the card asks when the rule has no question', () => {
    const card = buildDuetCard(makeSignal(), duetDecision());
    expect(questionOf(card)).toBe(
      'Did you expect alice to call GetSecretValue on AKIAIOSFODNN7EXAMPLE in account 111122223333 from 198.51.100.7?',
    );
  });
});

describe('button values', () => {
  it('stay within 2,000 chars and flag a cut id', () => {
    const value = encodeButtonValue('"'.repeat(5000), 'r'.repeat(3000));
    expect(value.length).toBeLessThanOrEqual(2000);
    expect(parseButtonValue(value)?.truncated).toBe(true);
  });

  it('reject anything we did not write', () => {
    expect(parseButtonValue('not json')).toBeUndefined();
    expect(parseButtonValue('{"findingId":5}')).toBeUndefined();
    expect(parseButtonValue('{"ruleId":"x"}')).toBeUndefined();
  });
});
