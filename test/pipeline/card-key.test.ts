import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { LOCAL_CONFIG_FILE } from '../../src/config/resolve.js';
import type { OkItem } from '../../src/model/item.js';
import { createTriageContext, triageItem, type TriageContext } from '../../src/pipeline/triage.js';

/** An IAM finding as GuardDuty reports it in each region the principal's calls were seen from. */
function iamFinding(id: string, region: string, serviceName = 'iam.amazonaws.com', accessKeyId = 'AKIAEXAMPLEKEY000001'): OkItem {
  return {
    status: 'ok',
    kind: 'guardduty-finding',
    origin: { file: 'test', index: 0, wrapper: 'finding' },
    doc: {
      schemaVersion: '2.0', id, type: 'Persistence:IAMUser/AnomalousBehavior', accountId: '111122223333', region, partition: 'aws', severity: 5,
      resource: { resourceType: 'AccessKey', accessKeyDetails: { accessKeyId, userName: 'deploy-bot', userType: 'IAMUser', principalId: 'AIDAEXAMPLE0000000001' } },
      service: { serviceName: 'guardduty', count: 1, action: { actionType: 'AWS_API_CALL', awsApiCallAction: { api: 'CreateUser', serviceName } } },
    },
  };
}

describe('which card a finding belongs to', () => {
  let ctx: TriageContext;
  beforeAll(async () => {
    ctx = await createTriageContext(loadConfig(LOCAL_CONFIG_FILE));
  });
  const key = (item: OkItem) => triageItem(item, ctx).cardKey;

  it('collapses a global-service finding reported in several regions into one card', () => {
    const keys = ['us-east-1', 'eu-west-1', 'ap-southeast-2'].map((region, i) => key(iamFinding(`f${i}`.padEnd(32, '0'), region)));
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toBe('gd-global:111122223333:Persistence:IAMUser/AnomalousBehavior:AKIAEXAMPLEKEY000001');
  });

  it('keeps regional findings (a regional API) one card per finding id', () => {
    const a = key(iamFinding('a'.repeat(32), 'us-east-1', 'ec2.amazonaws.com'));
    const b = key(iamFinding('b'.repeat(32), 'eu-west-1', 'ec2.amazonaws.com'));
    expect([a, b]).toEqual([`gd:111122223333:${'a'.repeat(32)}`, `gd:111122223333:${'b'.repeat(32)}`]);
  });

  it('keeps two principals apart', () => {
    expect(key(iamFinding('c'.repeat(32), 'us-east-1'))).not.toBe(key(iamFinding('d'.repeat(32), 'us-east-1', 'iam.amazonaws.com', 'AKIAEXAMPLEKEY000002')));
  });
});
