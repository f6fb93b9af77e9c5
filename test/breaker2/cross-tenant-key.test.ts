/**
 * Promise broken (issue 5, "Who may do what"): roles are per tenant, and a responder of one tenant
 * remediates that tenant only (its protect list, its two-person rule). Issue 4/5 investigations look into
 * the alert's tenant.
 *
 * Bug: remediation, the key-details modal and the Investigate button all pick the AWS account from
 * `signal.actor.accountId` before `signal.accountId`. For a CloudTrail event that is the *caller's*
 * account (`userIdentity.accountId`), while the tenant is chosen from `recipientAccountId`. A
 * cross-account call by another tenant's IAM user therefore lands on the first tenant's card, and that
 * tenant's responder deactivates a key inside the other tenant's account (through the other tenant's
 * remediation role, checked against the wrong protect list), and its analyst's Investigate runs
 * CloudTrail/IAM lookups in the other tenant's account and posts them in the first tenant's thread.
 *
 * Repro: two tenants, acme (210987654321) and globex (111122223333). An acme alert whose actor is
 * globex's IAM user with an AKIA key. An acme-only responder's deactivate job asks for an IAM client in
 * 111122223333 and calls UpdateAccessKey there; an acme-only analyst's Investigate asks for 111122223333.
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
import { CUSTOMER, openHarness, SOC, USERS, type Harness } from '../respond/harness.js';

const GLOBEX = '111122223333';
const GLOBEX_KEY = 'AKIAGLOBEXCROSSACCT1';

describe('breaker2: a card of one tenant acting on another tenant\'s account', () => {
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
    expect(asked.filter((a) => a !== ACCOUNT)).toEqual([]);
  });

  it('the Investigate button of an acme alert looks into an acme account', () => {
    const alert = { id: 'x', signal: crossAccountSignal() } as Parameters<typeof investigationFor>[0];
    const request: Pick<InvestigateRequest, 'accountId'> = investigationFor(alert, h.clock.now);
    expect(request.accountId).toBe(ACCOUNT);
  });
});
