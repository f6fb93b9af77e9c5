import { GetFindingsCommand, GuardDutyClient, ListDetectorsCommand, ListFindingsCommand } from '@aws-sdk/client-guardduty';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/core/log.js';
import { readInput } from '../../src/intake/reader.js';
import type { ReadItem } from '../../src/model/item.js';
import type { EnqueueCounts, Enqueuer } from '../../src/queue/enqueue.js';
import { assumeRoleCredentials, pollTarget, pollTargets, type PollerDeps } from '../../src/sources/guardduty-poller.js';
import { openTestRedis, type TestRedis } from '../helpers/redis.js';

const gd = mockClient(GuardDutyClient);
const sts = mockClient(STSClient);
const TARGET = { tenantId: 'acme', accountId: '111122223333', region: 'eu-west-1' };
const NOW = Date.parse('2024-05-02T00:00:00Z');

/** GetFindings output as the SDK hands it: PascalCase, and some timestamps as Date objects. */
function sdkFinding(n: number) {
  const updatedAt = new Date(Date.parse('2024-05-01T00:00:00Z') + n * 60_000).toISOString();
  return {
    Id: `f${String(n).padStart(3, '0')}`, AccountId: '111122223333', Region: 'eu-west-1', Partition: 'aws', SchemaVersion: '2.0',
    Arn: `arn:aws:guardduty:eu-west-1:111122223333:detector/det1/finding/f${n}`, Type: 'Recon:EC2/PortProbeUnprotectedPort',
    Severity: 2, CreatedAt: updatedAt, UpdatedAt: updatedAt, Title: 'Port probed', Description: 'probe',
    Resource: { ResourceType: 'Instance', InstanceDetails: { InstanceId: 'i-0abc', LaunchTime: '2024-04-01T00:00:00Z' } },
    Service: { ServiceName: 'guardduty', DetectorId: 'det1', Count: 1, Archived: false, EventFirstSeen: updatedAt, EventLastSeen: updatedAt,
      EbsVolumeScanDetails: { ScanStartedAt: new Date('2024-05-01T00:00:00Z') } },
  };
}

describe('GuardDuty poller', () => {
  let t: TestRedis;
  let batches: ReadItem[][];
  let deps: PollerDeps;

  const recording: Enqueuer = {
    enqueue: async (items): Promise<EnqueueCounts> => {
      batches.push(items);
      const ok = items.filter((i) => i.status === 'ok').length;
      return { read: items.length, enqueued: ok, duplicate: 0, ignored: 0, rejected: items.length - ok, jobs: ok };
    },
  };

  beforeEach(async () => {
    t = await openTestRedis('poller');
    gd.reset();
    sts.reset();
    batches = [];
    deps = { redis: t.redis, prefix: t.prefix, enqueuer: recording, read: readInput, log: silentLogger, clientFor: () => new GuardDutyClient({ region: 'eu-west-1' }), now: () => new Date(NOW) };
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('lists by updatedAt since the cursor, pages with NextToken, fetches in batches of 50/50/20 and moves the cursor', async () => {
    const ids = Array.from({ length: 120 }, (_, n) => `f${String(n).padStart(3, '0')}`);
    gd.on(ListDetectorsCommand).resolves({ DetectorIds: ['det1'] });
    gd.on(ListFindingsCommand)
      .resolvesOnce({ FindingIds: ids.slice(0, 50), NextToken: 'page-2' })
      .resolvesOnce({ FindingIds: ids.slice(50, 100), NextToken: 'page-3' })
      .resolvesOnce({ FindingIds: ids.slice(100) });
    gd.on(GetFindingsCommand).callsFake((input: { FindingIds: string[] }) => ({ Findings: input.FindingIds.map((id) => sdkFinding(Number(id.slice(1)))) }));

    const result = await pollTarget(TARGET, deps);

    const since = NOW - 24 * 3600_000;
    const list = gd.commandCalls(ListFindingsCommand).map((c) => c.args[0].input);
    const criteria = { DetectorId: 'det1', FindingCriteria: { Criterion: { updatedAt: { GreaterThanOrEqual: since } } }, SortCriteria: { AttributeName: 'updatedAt', OrderBy: 'ASC' }, MaxResults: 50 };
    expect(list).toEqual([{ ...criteria, NextToken: undefined }, { ...criteria, NextToken: 'page-2' }, { ...criteria, NextToken: 'page-3' }]);
    expect(gd.commandCalls(GetFindingsCommand).map((c) => c.args[0].input.FindingIds?.length)).toEqual([50, 50, 20]);
    expect(gd.commandCalls(GetFindingsCommand)[2]?.args[0].input).toEqual({ DetectorId: 'det1', FindingIds: ids.slice(100) });

    expect(batches.map((b) => b.length)).toEqual([50, 50, 20]);
    expect(batches.flat().every((i) => i.status === 'ok' && i.origin.wrapper === 'get-findings' && i.origin.file === 'poller:111122223333/eu-west-1')).toBe(true);
    const newest = Date.parse('2024-05-01T00:00:00Z') + 119 * 60_000;
    expect(result).toEqual({ target: '111122223333/eu-west-1', listed: 120, enqueued: 120, duplicate: 0, rejected: 0, cursor: newest });
    expect(await t.redis.get(`${t.prefix}:poll-cursor:111122223333:eu-west-1`)).toBe(String(newest));
  });

  it('starts the next poll from the stored cursor', async () => {
    await t.redis.set(`${t.prefix}:poll-cursor:111122223333:eu-west-1`, '1714521600000');
    gd.on(ListDetectorsCommand).resolves({ DetectorIds: ['det1'] });
    gd.on(ListFindingsCommand).resolves({ FindingIds: [] });
    await pollTarget(TARGET, deps);
    expect(gd.commandCalls(ListFindingsCommand)[0]?.args[0].input.FindingCriteria).toEqual({ Criterion: { updatedAt: { GreaterThanOrEqual: 1714521600000 } } });
    expect(gd.commandCalls(GetFindingsCommand)).toHaveLength(0);
  });

  it('keeps the cursor where it was when queueing fails', async () => {
    gd.on(ListDetectorsCommand).resolves({ DetectorIds: ['det1'] });
    gd.on(ListFindingsCommand).resolves({ FindingIds: ['f001'] });
    gd.on(GetFindingsCommand).resolves({ Findings: [sdkFinding(1)] });
    deps.enqueuer = { enqueue: async () => { throw new Error('redis down'); } };
    await expect(pollTarget(TARGET, deps)).rejects.toThrow('redis down');
    expect(await t.redis.get(`${t.prefix}:poll-cursor:111122223333:eu-west-1`)).toBeNull();
  });

  it('assumes the tenant role with its external id', async () => {
    sts.on(AssumeRoleCommand).resolves({ Credentials: { AccessKeyId: 'ASIAEXAMPLE', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: new Date(NOW + 3600_000) } });
    const provider = assumeRoleCredentials('arn:aws:iam::111122223333:role/PicketReadOnly', 'picket-acme', new STSClient({ region: 'eu-west-1' }));
    expect(await provider()).toEqual({ accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token', expiration: new Date(NOW + 3600_000) });
    expect(sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input)).toEqual([
      { RoleArn: 'arn:aws:iam::111122223333:role/PicketReadOnly', RoleSessionName: 'picket-guardduty-poller', ExternalId: 'picket-acme', DurationSeconds: 3600 },
    ]);
  });

  it('polls every account and region of every tenant', () => {
    const config = parseConfig(['soc_channel: C0SOC', 'tenants:', '  - id: acme', '    name: Acme', '    accounts:',
      '      - id: "111122223333"', '        regions: [us-east-1, eu-west-1]', '        role_arn: arn:aws:iam::111122223333:role/R', '        external_id: ext-1',
      '  - id: globex', '    name: Globex', '    accounts:', '      - id: "444455556666"'].join('\n'), 'inline.yml');
    expect(pollTargets(config)).toEqual([
      { tenantId: 'acme', accountId: '111122223333', region: 'us-east-1', roleArn: 'arn:aws:iam::111122223333:role/R', externalId: 'ext-1' },
      { tenantId: 'acme', accountId: '111122223333', region: 'eu-west-1', roleArn: 'arn:aws:iam::111122223333:role/R', externalId: 'ext-1' },
      { tenantId: 'globex', accountId: '444455556666', region: 'us-east-1', roleArn: undefined, externalId: undefined },
    ]);
  });
});

describe('GuardDuty clients', () => {
  it('keeps one client per account, region and role across polls', async () => {
    const { cachedClients } = await import('../../src/sources/guardduty-poller.js');
    let made = 0;
    const clientFor = cachedClients(() => {
      made += 1;
      return new GuardDutyClient({ region: 'eu-west-1' });
    });
    const a = clientFor(TARGET);
    expect(clientFor({ ...TARGET })).toBe(a);
    expect(clientFor({ ...TARGET, region: 'us-east-1' })).not.toBe(a);
    expect(made).toBe(2);
  });
});
