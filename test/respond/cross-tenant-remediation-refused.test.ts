/**
 * Regression (from an adversarial review; issue 5, "Who may do what"): roles are per tenant, and a
 * responder of one tenant remediates that tenant only (its protect list, its two-person rule).
 * Investigations look into the alert's tenant.
 *
 * Remediation, the key-details modal and the Investigate button used to pick the AWS account from
 * `signal.actor.accountId` before `signal.accountId`. For a CloudTrail event that is the *caller's*
 * account, while the tenant is chosen from `recipientAccountId`: acme's responder could deactivate a key
 * inside globex's account through globex's remediation role, and acme's Investigate ran in globex's
 * account. Now remediation acts only in an account the alert's tenant owns and otherwise refuses, says
 * why in the thread and audits the refusal; Investigate uses the account the alert was routed by.
 */
import { GetAccessKeyLastUsedCommand, ListAccessKeysCommand, UpdateAccessKeyCommand, type IAMClient } from '@aws-sdk/client-iam';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.js';
import { responseContext, type ResponseContext } from '../../src/respond/context.js';
import type { InvestigateRequest, ResponseDeps } from '../../src/respond/deps.js';
import { investigationFor } from '../../src/respond/listeners/investigate-request.js';
import { processActionJob } from '../../src/respond/worker.js';
import { ACCOUNT, alertDecision, keySignal } from '../fixtures/respond/signals.js';
import { ActionId } from '../../blocks/action-ids.js';
import { encodeButtonValue } from '../../blocks/button-value.js';
import { clickBody, CUSTOMER, openHarness, postSigned, SOC, startApp, until, USERS, type Harness } from './harness.js';

const GLOBEX = '111122223333';
const GLOBEX_KEY = 'AKIAGLOBEXCROSSACCT1';

describe('a card of one tenant never acts on another tenant\'s account', () => {
  let h: Harness;
  let iam: AwsClientStub<IAMClient>;
  let ctx: ResponseContext;
  const asked: string[] = [];

  beforeEach(async () => {
    h = await openHarness();
    iam = mockClient(h.iam);
    iam.on(GetAccessKeyLastUsedCommand).resolves({ UserName: 'globex-ci', $metadata: { requestId: 'r1' } });
    let status = 'Active';
    iam.on(ListAccessKeysCommand).callsFake(() => ({ AccessKeyMetadata: [{ UserName: 'globex-ci', AccessKeyId: GLOBEX_KEY, Status: status }], $metadata: { requestId: 'r2' } }));
    iam.on(UpdateAccessKeyCommand).callsFake((input: { Status: string }) => {
      status = input.Status;
      return { $metadata: { requestId: 'r3' } };
    });
    asked.length = 0;
    const config = ConfigSchema.parse({
      soc_channel: SOC,
      tenants: [
        { id: 'acme', name: 'Acme', soc_channel: SOC, customer_channel: CUSTOMER, accounts: [{ id: ACCOUNT, regions: ['us-west-2'] }] },
        { id: 'globex', name: 'Globex', soc_channel: 'C0GLOBEX', accounts: [{ id: GLOBEX, regions: ['us-east-1'] }] },
      ],
    });
    const deps: ResponseDeps = {
      ...h.deps,
      config,
      responseFor: (tenant) => (tenant === 'acme' ? h.settings.value : undefined),
      iamFor: async (accountId) => {
        asked.push(accountId);
        return h.iam;
      },
    };
    ctx = responseContext(deps);
  });
  afterEach(async () => {
    iam.restore();
    await h.close();
  });

  function crossAccountSignal() {
    // A CloudTrail event recorded in acme's account, made by globex's IAM user.
    return keySignal({
      source: 'cloudtrail',
      id: 'ct-b2-cross-0001',
      accountId: ACCOUNT,
      actor: { type: 'IAMUser', userName: 'globex-ci', accessKeyId: GLOBEX_KEY, accountId: GLOBEX, arn: `arn:aws:iam::${GLOBEX}:user/globex-ci` },
    });
  }

  it('an acme responder\'s deactivation never touches an account acme does not own', async () => {
    const alert = await h.postCard('alert', crossAccountSignal(), alertDecision());
    expect(alert.tenantId).toBe('acme');

    await processActionJob(ctx, { type: 'remediate', op: 'deactivate', alertId: alert.id, actor: { userId: USERS.responder, roles: ['responder'] }, generation: 0 }).catch(() => undefined);

    expect(iam.commandCalls(UpdateAccessKeyCommand)).toHaveLength(0);
    expect(asked).toEqual([]);
    const refused = (await ctx.audit.recent({ alertId: alert.id, limit: 5 })).filter((e) => e.action === 'deactivate_key');
    expect(refused.map((e) => [e.user, e.result, e.target, e.tenant])).toEqual([[USERS.responder, 'refused', GLOBEX_KEY, 'acme']]);
    expect(refused[0]?.detail).toContain(`AWS account ${GLOBEX}, which is not one of this tenant's accounts`);
    const notes = h.slack.callsTo('chat.postMessage').map((c) => String(c.args.text ?? ''));
    expect(notes.filter((t) => t.startsWith('🚫 deactivate key refused: the principal belongs to AWS account 111122223333'))).toHaveLength(1);
  });

  it('a key in another account the same tenant owns is deactivated there', async () => {
    const ACME_DEV = '222233334444';
    const config = ConfigSchema.parse({
      soc_channel: SOC,
      tenants: [{ id: 'acme', name: 'Acme', soc_channel: SOC, customer_channel: CUSTOMER, accounts: [{ id: ACCOUNT, regions: ['us-west-2'] }, { id: ACME_DEV, regions: ['us-west-2'] }] }],
    });
    const own = responseContext({ ...ctx.deps, config });
    const signal = keySignal({ source: 'cloudtrail', id: 'ct-b2-same-tenant-0002', accountId: ACCOUNT, actor: { type: 'IAMUser', userName: 'globex-ci', accessKeyId: GLOBEX_KEY, accountId: ACME_DEV } });
    const alert = await h.postCard('alert', signal, alertDecision());

    await processActionJob(own, { type: 'remediate', op: 'deactivate', alertId: alert.id, actor: { userId: USERS.responder, roles: ['responder'] }, generation: 0 });

    expect(asked).toEqual([ACME_DEV]);
    expect(iam.commandCalls(UpdateAccessKeyCommand).map((c) => c.args[0].input)).toEqual([{ UserName: 'globex-ci', AccessKeyId: GLOBEX_KEY, Status: 'Inactive' }]);
  });

  it('a role session from another tenant\'s account is not offered for revocation', async () => {
    const h2 = { ...h, deps: ctx.deps };
    const app = await startApp(h2);
    try {
      const signal = keySignal({ source: 'cloudtrail', id: 'ct-b2-cross-role-0003', accountId: ACCOUNT, actor: { type: 'AssumedRole', roleName: 'globex-deployer', sessionName: 's1', accessKeyId: 'ASIAGLOBEXCROSSACCT2', accountId: GLOBEX } });
      const alert = await h.postCard('alert', signal, alertDecision());
      await postSigned(app.url, clickBody(ActionId.revokeSessions, encodeButtonValue(alert.signal.id, alert.ruleId), USERS.responder));
      await until(async () => h.slack.callsTo('chat.postEphemeral').length > 0);

      expect(String(h.slack.callsTo('chat.postEphemeral')[0]?.args.text)).toMatch(/^🚫 Session revocation refused: the principal belongs to AWS account 111122223333/);
      expect(h.slack.callsTo('views.open')).toEqual([]);
      const [entry] = await ctx.audit.recent({ alertId: alert.id, limit: 1 });
      expect(entry).toMatchObject({ action: 'revoke_sessions', target: 'globex-deployer', result: 'refused', tenant: 'acme' });
    } finally {
      await app.stop();
    }
  });

  it('the Investigate button of an acme alert looks into an acme account', () => {
    const alert = { id: 'x', signal: crossAccountSignal() } as Parameters<typeof investigationFor>[0];
    const request: Pick<InvestigateRequest, 'accountId'> = investigationFor(alert, h.clock.now);
    expect(request.accountId).toBe(ACCOUNT);
  });
});
