import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsAccess } from '../../src/aws/access.js';
import { IntelStore } from '../../src/intel/store.js';
import type { ThirdPartyAdapter } from '../../src/intel/third-party/adapter.js';
import type { Triaged } from '../../src/pipeline/triage.js';
import type { AlertRecord } from '../../src/respond/types.js';
import { createEnrichStep } from '../../src/server/enrich-step.js';
import { createPermalinks } from '../../src/server/permalink.js';
import { captureLogger, fixedGeo } from '../enrich/support.js';
import { alertDecision, keySignal } from '../fixtures/respond/signals.js';
import { openHarness, SOC, type Harness } from '../respond/harness.js';

/**
 * The step after a card is posted never takes the card down with it: a
 * provider that overruns the deadline is shown as unavailable, and a Slack
 * failure while redrawing leaves the evidence stored and the job unharmed.
 */

const hanging: ThirdPartyAdapter = { name: 'slowintel', kinds: ['domain'], check: () => new Promise(() => undefined) };

describe('createEnrichStep', () => {
  let h: Harness;
  const logs = captureLogger();

  beforeAll(async () => {
    h = await openHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  async function posted(id: string): Promise<{ alert: AlertRecord; triaged: Triaged }> {
    const signal = keySignal({ id, remotes: [{ domain: 'slow.example' }] });
    const decision = alertDecision();
    const alert = await h.postCard('alert', signal, decision);
    const triaged: Triaged = { origin: { file: 'test', index: 0, wrapper: 'finding' }, outcome: 'alert', signal, decision, tenantId: 'acme', channel: SOC, cardKey: alert.cardKey };
    return { alert, triaged };
  }

  function step() {
    const enrich = { intel: new IntelStore(), geo: fixedGeo({}), log: logs.log, aws: new AwsAccess({ accounts: [], log: logs.log }), redis: h.redis.redis, prefix: h.redis.prefix, thirdParty: [hanging] };
    return createEnrichStep({ enrich, response: h.ctx, permalinks: createPermalinks(h.deps.slack, logs.log), log: logs.log, deadlineMs: 50 });
  }

  it('shows a provider that overran the deadline as unavailable, with the reason, on the redrawn card', async () => {
    const { alert, triaged } = await posted('enrich-step-deadline-0001');
    await step()(triaged, 'posted');

    const stored = await h.ctx.alerts.get(alert.id);
    expect(stored?.enrichment?.find((e) => e.provider === 'slowintel')).toEqual({ provider: 'slowintel', status: 'unavailable', reason: 'timed out after 50 ms' });
    const redraw = h.slack.callsTo('chat.update').filter((c) => c.args.ts === alert.ts);
    expect(redraw).toHaveLength(1);
    expect(String(redraw[0]?.args.blocks)).toContain('_slowintel_ unavailable: timed out after 50 ms');
  });

  it('keeps the evidence and does not throw when Slack refuses the redraw', async () => {
    const { alert, triaged } = await posted('enrich-step-slackdown-0002');
    h.slack.failWith('chat.update', 'internal_error', 1);

    await expect(step()(triaged, 'posted')).resolves.toBeUndefined();

    expect((await h.ctx.alerts.get(alert.id))?.enrichment?.map((e) => e.provider)).toContain('slowintel');
    expect(logs.lines.filter((l) => l.msg === 'enrichment: redrawing the card with evidence failed; the card stands as posted').map((l) => l.alertId)).toEqual([alert.id]);
  });

  it('does nothing for a card that was updated rather than posted', async () => {
    const { alert, triaged } = await posted('enrich-step-updated-0003');
    await step()(triaged, 'updated');
    expect((await h.ctx.alerts.get(alert.id))?.enrichment).toBeUndefined();
  });
});
