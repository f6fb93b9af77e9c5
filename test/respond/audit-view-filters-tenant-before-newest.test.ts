/**
 * Regression (from an adversarial review; issue 5, Audit): every click, command and action is "shown with
 * `/picket audit [alert id]`"; App Home shows "recent actions". Both are limited to the caller's tenants.
 *
 * `/picket audit` used to read the newest 60 entries of the global stream and only then drop the ones the
 * caller may not see (App Home: newest 50), so sixty entries of another tenant (or a stranger clicking
 * another tenant's card sixty times) hid every entry of the caller's own tenant. Entries are now also
 * written to a stream per tenant and the views read only the tenants the caller may see.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.js';
import { responseContext, type ResponseContext } from '../../src/respond/context.js';
import type { ResponseDeps } from '../../src/respond/deps.js';
import { publishHome } from '../../src/respond/home.js';
import { picketCommand } from '../../src/respond/listeners/picket-command.js';
import { ACCOUNT } from '../fixtures/respond/signals.js';
import { CUSTOMER, openHarness, responseSettings, SOC, USERS, type Harness } from './harness.js';

describe('other tenants\' entries never push one tenant out of its own audit view', () => {
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
    expect(said[0]).not.toContain('globexalert1');

    await publishHome(ctx, USERS.analyst);
    const view = JSON.stringify(h.slack.callsTo('views.publish').at(-1)?.args.view ?? '');
    expect(view).toContain('acme0alert01');
    expect(view).not.toContain('globexalert1');
  });
});
