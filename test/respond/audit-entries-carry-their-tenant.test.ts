/**
 * Regression (from an adversarial review; issue 5, "Who may do what" + "Audit" + "App Home"): `/picket
 * audit` and App Home show only what the caller's roles allow, in the tenants where they hold them.
 *
 * The investigation and CloudTrail-query jobs used to write entries without a `tenant`, and both views
 * showed such entries to every analyst of any tenant: acme's analyst read what globex's analyst
 * investigated in globex's account. Every entry now names the tenant owning the account looked into, and
 * an entry without a tenant is shown only in the install-wide view (roles of the top-level `response:`).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.js';
import { responseContext, type ResponseContext } from '../../src/respond/context.js';
import type { ResponseDeps } from '../../src/respond/deps.js';
import { publishHome } from '../../src/respond/home.js';
import { picketCommand } from '../../src/respond/listeners/picket-command.js';
import { processActionJob } from '../../src/respond/worker.js';
import { ACCOUNT } from '../fixtures/respond/signals.js';
import { CUSTOMER, openHarness, responseSettings, SOC, USERS, type Harness } from './harness.js';

const GLOBEX = '111122223333';
const GLOBEX_ANALYST = 'U0GLOBEXAN';

describe('one tenant\'s audit entries stay with that tenant', () => {
  let h: Harness;
  let ctx: ResponseContext;

  beforeEach(async () => {
    h = await openHarness({
      investigate: async () => ({ results: [], summaryLines: ['2 high-risk calls'], files: [] }),
      queryCloudTrail: async () => ({ events: [{ eventName: 'CreateAccessKey', username: 'globex-breakglass' }] }),
    });
    const globex = responseSettings({ roles: { analyst: { users: [GLOBEX_ANALYST] } }, identity_map: {} });
    const config = ConfigSchema.parse({
      soc_channel: SOC,
      tenants: [
        { id: 'acme', name: 'Acme', soc_channel: SOC, customer_channel: CUSTOMER, accounts: [{ id: ACCOUNT, regions: ['us-west-2'] }] },
        { id: 'globex', name: 'Globex', soc_channel: 'C0GLOBEX', accounts: [{ id: GLOBEX, regions: ['us-east-1'] }] },
      ],
    });
    const deps: ResponseDeps = { ...h.deps, config, responseFor: (t) => (t === 'acme' ? h.settings.value : t === 'globex' ? globex : undefined) };
    ctx = responseContext(deps);

    const actor = { userId: GLOBEX_ANALYST, roles: ['analyst' as const] };
    const reply = { channel: 'C0GLOBEX', userId: GLOBEX_ANALYST };
    const window = { since: '2026-11-30T09:00:00.000Z', until: '2026-12-01T09:00:00.000Z' };
    await processActionJob(ctx, { type: 'investigate', actor, request: { kind: 'user', id: 'globex-breakglass', accountId: GLOBEX, region: 'us-east-1', ...window }, reply });
    await processActionJob(ctx, { type: 'cloudtrail', actor, query: { accountId: GLOBEX, region: 'us-east-1', key: 'Username', value: 'globex-breakglass', ...window }, reply });
  });
  afterEach(async () => {
    await h.close();
  });

  async function auditSays(userId: string, within: ResponseContext = ctx): Promise<string[]> {
    const said: string[] = [];
    const args = {
      ack: async () => undefined,
      command: { text: 'audit', user_id: userId, channel_id: SOC, response_url: 'https://hooks.slack.com/commands/T0/1/x' },
      respond: async (m: { text: string }) => void said.push(m.text),
    };
    await picketCommand(within)(args as unknown as Parameters<ReturnType<typeof picketCommand>>[0]);
    return said;
  }

  it('the investigation and query entries name globex, and globex\'s analyst sees them', async () => {
    const entries = await ctx.audit.recent({ limit: 10 });
    expect(entries.filter((e) => e.user === GLOBEX_ANALYST).map((e) => [e.action, e.tenant])).toEqual([
      ['query_cloudtrail', 'globex'],
      ['investigate', 'globex'],
    ]);
    const said = await auditSays(GLOBEX_ANALYST);
    expect(said[0]).toContain('`user:globex-breakglass`');
    expect(said[0]).toContain('`Username=globex-breakglass`');
  });

  it('an entry without a tenant is shown to no tenant\'s analyst', async () => {
    await ctx.record({ userId: USERS.stranger, roles: [] }, { action: 'acknowledge', target: 'tenantless-click', result: 'refused', detail: 'no alert Picket knows for this button' });
    expect((await auditSays(USERS.analyst))[0]).not.toContain('tenantless-click');
    expect((await auditSays(GLOBEX_ANALYST))[0]).not.toContain('tenantless-click');

    // The install-wide analyst (top-level `response:` roles) sees it.
    const install = responseSettings({ roles: { analyst: { users: ['U0INSTALL'] } }, identity_map: {} });
    const wide = responseContext({ ...ctx.deps, responseFor: (t) => (t === undefined ? install : ctx.deps.responseFor(t)) });
    expect((await auditSays('U0INSTALL', wide))[0]).toContain('tenantless-click');
  });

  it('/picket audit for an acme-only analyst lists nothing from globex', async () => {
    const said: string[] = [];
    const args = {
      ack: async () => undefined,
      command: { text: 'audit', user_id: USERS.analyst, channel_id: SOC, response_url: 'https://hooks.slack.com/commands/T0/1/x' },
      respond: async (m: { text: string }) => void said.push(m.text),
    };
    await picketCommand(ctx)(args as unknown as Parameters<ReturnType<typeof picketCommand>>[0]);
    expect(said).toHaveLength(1);
    expect(said[0]).not.toContain('globex-breakglass');
  });

  it('App Home for an acme-only analyst shows no globex actions', async () => {
    await publishHome(ctx, USERS.analyst);
    const view = JSON.stringify(h.slack.callsTo('views.publish').at(-1)?.args.view ?? '');
    expect(view).toContain('Acme');
    expect(view).not.toContain('globex-breakglass');
  });
});
