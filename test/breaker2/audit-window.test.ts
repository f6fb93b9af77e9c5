/**
 * Promise broken (issue 5, Audit): every click, command and action is "shown with `/picket audit [alert
 * id]`"; App Home shows "recent actions". Both are limited to the caller's tenants.
 *
 * Bug: `/picket audit` reads the newest 60 entries of the global stream and only then drops the ones the
 * caller may not see (App Home: newest 50). Sixty entries from any other tenant (a busy tenant, or a
 * stranger clicking a card of another tenant sixty times: every refusal is audited with that tenant)
 * hide every entry of the caller's own tenant: the acme analyst is told "No audit entries." although
 * acme's alert was just closed.
 *
 * Repro: record one acme `close`, then 60 globex refusals; acme's analyst runs `/picket audit`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.js';
import { responseContext, type ResponseContext } from '../../src/respond/context.js';
import type { ResponseDeps } from '../../src/respond/deps.js';
import { picketCommand } from '../../src/respond/listeners/picket-command.js';
import { ACCOUNT } from '../fixtures/respond/signals.js';
import { CUSTOMER, openHarness, responseSettings, SOC, USERS, type Harness } from '../respond/harness.js';

describe('breaker2: other tenants\' entries push one tenant out of its own audit view', () => {
  let h: Harness;
  let ctx: ResponseContext;

  beforeEach(async () => {
    h = await openHarness();
    const config = ConfigSchema.parse({
      soc_channel: SOC,
      tenants: [
        { id: 'acme', name: 'Acme', soc_channel: SOC, customer_channel: CUSTOMER, accounts: [{ id: ACCOUNT, regions: ['us-west-2'] }] },
        { id: 'globex', name: 'Globex', soc_channel: 'C0GLOBEX', accounts: [{ id: '111122223333', regions: ['us-east-1'] }] },
      ],
    });
    const globex = responseSettings({ roles: { analyst: { users: ['U0GLOBEXAN'] } }, identity_map: {} });
    const deps: ResponseDeps = { ...h.deps, config, responseFor: (t) => (t === 'acme' ? h.settings.value : t === 'globex' ? globex : undefined) };
    ctx = responseContext(deps);
  });
  afterEach(async () => {
    await h.close();
  });

  it('/picket audit still shows the caller\'s own tenant after 60 entries of another tenant', async () => {
    await ctx.record({ userId: USERS.analyst, roles: ['analyst'] }, { action: 'close', target: 'acme0alert01', alertId: 'acme0alert01', tenant: 'acme', result: 'ok', detail: 'true_positive' });
    for (let i = 0; i < 60; i += 1) {
      await ctx.record({ userId: USERS.stranger, roles: [] }, { action: 'deactivate_key', target: 'globexalert1', alertId: 'globexalert1', tenant: 'globex', result: 'refused', detail: 'deactivate key needs the responder role for this tenant' });
    }
    const said: string[] = [];
    const args = {
      ack: async () => undefined,
      command: { text: 'audit', user_id: USERS.analyst, channel_id: SOC, response_url: 'https://hooks.slack.com/commands/T0/1/x' },
      respond: async (m: { text: string }) => void said.push(m.text),
    };
    await picketCommand(ctx)(args as unknown as Parameters<ReturnType<typeof picketCommand>>[0]);
    expect(said[0]).toContain('acme0alert01');
  });
});
