import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeInstancesCommand, DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetRoleCommand, IAMClient, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import { GetAccessKeyInfoCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../src/aws/clock.js';
import { enrichSignal, offlineEvidence, runProvider } from '../../src/enrich/run.js';
import { ec2Provider } from '../../src/enrich/providers/ec2.js';
import { IntelStore } from '../../src/intel/store.js';
import type { Provider } from '../../src/enrich/types.js';
import { openTestRedis, type TestRedis } from '../helpers/redis.js';
import { baseSignal, captureLogger, fixedGeo, fixtureSignal, instantClock, testAccess, testDeps } from './support.js';

const iam = mockClient(IAMClient);
const sts = mockClient(STSClient);
const ct = mockClient(CloudTrailClient);
const ec2 = mockClient(EC2Client);
let tr: TestRedis;
const NOW = new Date('2024-05-01T12:00:00Z');
const intelFile = new URL('../fixtures/enrich/intel/', import.meta.url).pathname;

beforeAll(async () => {
  tr = await openTestRedis('enrich-run');
});
afterAll(async () => tr.cleanup());
afterEach(() => {
  iam.reset();
  sts.reset();
  ct.reset();
  ec2.reset();
  vi.useRealTimers();
});

function intel(): IntelStore {
  const store = new IntelStore([intelFile]);
  store.load();
  return store;
}

const geo = fixedGeo({ '203.0.113.66': { country: 'NL', asn: 64511, asnOrg: 'Example Hosting' } });

describe('offlineEvidence', () => {
  it('returns first-party intel and geo for the signal, with no network', () => {
    expect(offlineEvidence(fixtureSignal(), { intel: intel(), geo })).toEqual([
      { provider: 'intel', field: '203.0.113.66', value: 'staging host from incident 17 (fixture-feed)', verdict: 'bad' },
      { provider: 'intel', field: '203.0.113.66 AS64511', value: 'bulletproof hosting (fixture-feed)', verdict: 'suspicious' },
      { provider: 'geo', field: '203.0.113.66', value: 'NL · AS64511 Example Hosting', verdict: 'info' },
    ]);
  });
});

describe('enrichSignal', () => {
  it('keeps every other provider when one fails, and reports the failure with its reason', async () => {
    iam.on(GetRoleCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403, requestId: 'role-deny-1' } }));
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [] });
    sts.on(GetAccessKeyInfoCommand).resolves({ Account: '111122223333' });
    ct.on(LookupEventsCommand).resolves({ Events: [] });
    const deps = testDeps({ intel: intel(), geo, aws: testAccess(captureLogger().log, instantClock()) });

    const results = await enrichSignal(fixtureSignal(), deps, { now: NOW });

    expect(results.map((r) => [r.provider, r.status, r.reason ?? ''])).toEqual([
      ['intel', 'ok', ''],
      ['geo', 'ok', ''],
      ['access-key', 'ok', ''],
      ['iam-role', 'unavailable', 'access-denied: iam:GetRole (request role-deny-1)'],
      ['activity', 'ok', ''],
      ['similar', 'skipped', 'no Redis for the alert index'],
      ['timeline', 'ok', ''],
    ]);
    expect(ct.commandCalls(LookupEventsCommand)).toHaveLength(1);
  });

  it('returns at the deadline with a hung provider marked unavailable', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const hung: Provider = { name: 'hung', appliesTo: () => true, timeoutMs: 60_000, ttlSeconds: 0, budget: 0, run: () => new Promise(() => undefined) };
    const quick: Provider = { name: 'quick', appliesTo: () => true, timeoutMs: 1_000, ttlSeconds: 0, budget: 0, run: async () => ({ evidence: [{ provider: 'quick', field: 'f', value: 'v' }] }) };
    let settled = false;
    const pending = enrichSignal(baseSignal(), testDeps(), { providers: [hung, quick], deadlineMs: 10_000, now: NOW }).then((r) => {
      settled = true;
      return r;
    });
    await vi.advanceTimersByTimeAsync(9_999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await pending).toEqual([
      { provider: 'hung', status: 'unavailable', reason: 'timed out after 10000 ms', evidence: [] },
      { provider: 'quick', status: 'ok', evidence: [{ provider: 'quick', field: 'f', value: 'v' }] },
    ]);
  });

  it('offline mode runs only the providers that need no network', async () => {
    const deps = testDeps({ intel: intel(), geo, aws: testAccess(captureLogger().log, instantClock()) });
    const results = await enrichSignal(fixtureSignal(), deps, { offline: true, now: NOW });
    expect(results.map((r) => r.provider)).toEqual(['intel', 'geo']);
    expect(iam.calls()).toHaveLength(0);
  });

  it('turns a provider that outgrows its call budget into unavailable', async () => {
    const greedy: Provider = { name: 'greedy', appliesTo: () => true, timeoutMs: 1_000, ttlSeconds: 0, budget: 2, run: async (ctx) => {
      for (let i = 0; i < 3; i += 1) ctx.budget.spend();
      return { evidence: [] };
    } };
    const [result] = await enrichSignal(baseSignal(), testDeps(), { providers: [greedy], now: NOW });
    expect(result).toEqual({ provider: 'greedy', status: 'unavailable', reason: 'call budget of 2 spent', evidence: [] });
  });

  it('caches a provider result in Redis for its TTL, shared by signals about the same resource', async () => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [{ InstanceId: 'i-0abc', State: { Name: 'stopped' } }] }] });
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });
    const deps = testDeps({ aws: testAccess(captureLogger().log, systemClock), redis: tr.redis, prefix: tr.prefix });
    const a = baseSignal({ id: 'a', resource: { type: 'Instance', id: 'i-0abc' } });
    const b = baseSignal({ id: 'b', type: 'Backdoor:EC2/C&CActivity.B', resource: { type: 'Instance', id: 'i-0abc' } });

    const first = await runProvider(ec2Provider, a, deps, { deadline: 5_000, now: NOW });
    const second = await runProvider(ec2Provider, b, deps, { deadline: 5_000, now: NOW });

    expect(ec2.commandCalls(DescribeInstancesCommand)).toHaveLength(1);
    expect(second).toEqual(first);
    expect(await tr.redis.ttl(`${tr.prefix}:enrich:provider:ec2-instance:111122223333:eu-west-1:i-0abc`)).toBeGreaterThan(250);
  });
});
