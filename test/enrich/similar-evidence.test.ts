import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evidenceBlocks, evidenceLine } from '../../blocks/sections/evidence.js';
import { similarProvider } from '../../src/enrich/providers/similar.js';
import { runProvider } from '../../src/enrich/run.js';
import { recordAlert } from '../../src/enrich/similar.js';
import type { Evidence } from '../../src/enrich/types.js';
import type { Triaged } from '../../src/pipeline/triage.js';
import { openTestRedis, type TestRedis } from '../helpers/redis.js';
import { baseSignal, testDeps } from './support.js';

let tr: TestRedis;
beforeAll(async () => {
  tr = await openTestRedis('enrich-similar');
});
afterAll(async () => tr.cleanup());

function triaged(id: string, extra: Partial<ReturnType<typeof baseSignal>> = {}): Triaged {
  return { origin: { file: 't', index: 0, wrapper: 'finding' }, outcome: 'alert', tenantId: 'acme', channel: 'C0SOC', cardKey: `k-${id}`, signal: baseSignal({ id, ...extra }) };
}

describe('similar alerts', () => {
  it('finds earlier alerts of the tenant by actor, resource or type within 30 days, newest first', async () => {
    const deps = { ...testDeps(), redis: tr.redis, prefix: tr.prefix };
    const alice = { type: 'IAMUser', userName: 'alice', arn: 'arn:aws:iam::111122223333:user/alice' };
    const day = (d: number) => new Date(Date.parse('2024-05-01T12:00:00Z') - d * 86_400_000);
    await recordAlert(triaged('old', { actor: alice }), deps, { now: day(40) });
    await recordAlert(triaged('same-actor', { actor: alice, type: 'Other:IAMUser/Thing', title: 'Earlier thing' }), deps, { now: day(3), permalink: 'https://example.slack.com/archives/C0SOC/p1' });
    await recordAlert(triaged('same-type', { title: 'Same type' }), deps, { now: day(1) });
    await recordAlert({ ...triaged('other-tenant', { actor: alice }), tenantId: 'globex' }, deps, { now: day(1) });

    const result = await runProvider(similarProvider, baseSignal({ id: 'now', actor: alice }), deps, { deadline: 5_000, now: day(0), tenantId: 'acme' });

    expect(result.evidence).toEqual([
      { provider: 'similar', field: 'similar alerts', value: '2 in 30 days (1 same actor)', verdict: 'suspicious' },
      { provider: 'similar', field: '2024-04-30 type', value: 'Same type' },
      { provider: 'similar', field: '2024-04-28 actor', value: 'Earlier thing https://example.slack.com/archives/C0SOC/p1' },
    ]);
  });
});

describe('evidenceBlocks', () => {
  const hostile: Evidence = { provider: 'intel', field: '<!channel> 203.0.113.66', value: 'label <https://evil.example|click> & @here', verdict: 'bad' };

  it('escapes every value and keeps the provider on each line, notable verdicts first', () => {
    const blocks = evidenceBlocks([
      { provider: 'geo', field: '203.0.113.66', value: 'NL · AS64511', verdict: 'info' },
      hostile,
      { provider: 'activity', field: 'new ASN for this principal', value: 'AS64511', verdict: 'suspicious' },
    ]);
    expect(blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', verbatim: true, text: [
        '*Evidence*',
        '🔴 *&lt;!channel&gt; 203.0.113.66*: label &lt;https://evil.example|click&gt; &amp; @\u200Dhere  _intel_',
        '🟠 *new ASN for this principal*: AS64511  _activity_',
        '• *203.0.113.66*: NL · AS64511  _geo_',
      ].join('\n') } },
      { type: 'context', elements: [{ type: 'mrkdwn', verbatim: true, text: '2 notable findings from enrichment' }] },
    ]);
  });

  it('stays under Slack limits with a count of what it left out', () => {
    const many = Array.from({ length: 200 }, (_, i) => ({ provider: 'activity', field: `source 192.0.2.${i}`, value: 'x'.repeat(200) }));
    const blocks = evidenceBlocks(many);
    const texts = blocks.map((b) => (b.type === 'section' ? b.text?.text ?? '' : ''));
    expect(blocks).toHaveLength(3);
    expect(texts.every((t) => t.length <= 3000)).toBe(true);
    const shown = texts.join('\n').split('\n').filter((l) => l.startsWith('• ')).length;
    expect(texts[2]?.endsWith(`_+${200 - shown} more in the thread_`)).toBe(true);
  });

  it('cuts long values before escaping so no entity is split', () => {
    const line = evidenceLine({ provider: 'p', field: 'f', value: '&'.repeat(400) });
    expect(line).toBe(`• *f*: ${'&amp;'.repeat(299)}…  _p_`);
    expect(evidenceBlocks([])).toEqual([]);
  });
});
