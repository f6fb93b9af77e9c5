/** RDS instance: engine, public accessibility, storage encryption, IAM database auth. */
import { DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { awsCall, awsTarget, awsUnready, type AwsTarget } from '../aws-call.js';
import type { EnrichContext, Evidence, Provider } from '../types.js';

const NAME = 'rds-instance';

function ev(field: string, value: string, verdict?: Evidence['verdict']): Evidence {
  return { provider: NAME, field, value, ...(verdict ? { verdict } : {}) };
}

export async function rdsEvidence(ctx: EnrichContext, target: AwsTarget, id: string): Promise<Evidence[]> {
  const out = await awsCall(ctx, target, RDSClient, 'rds:DescribeDBInstances', (cl, o) => cl.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }), o));
  const db = out.DBInstances?.[0];
  if (!db) return [ev('instance', 'not found')];
  return [
    ev('engine', `${db.Engine ?? '?'} ${db.EngineVersion ?? ''}`.trim()),
    ev('publicly accessible', db.PubliclyAccessible ? 'yes' : 'no', db.PubliclyAccessible ? 'suspicious' : undefined),
    ev('storage encrypted', db.StorageEncrypted ? 'yes' : 'no', db.StorageEncrypted ? undefined : 'suspicious'),
    ev('IAM database auth', db.IAMDatabaseAuthenticationEnabled ? 'enabled' : 'disabled'),
  ];
}

export const rdsProvider: Provider = {
  name: NAME,
  appliesTo: (s) => s.resource.type === 'RDSDBInstance' && s.resource.id !== undefined,
  unready: awsUnready,
  timeoutMs: 5_000,
  ttlSeconds: 300,
  budget: 1,
  cacheKey: (s) => `${s.accountId}:${s.region}:${s.resource.id}`,
  run: async (ctx) => ({ evidence: await rdsEvidence(ctx, awsTarget(ctx), ctx.signal.resource.id ?? '') }),
};
