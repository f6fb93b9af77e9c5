/** S3 bucket: public access block, whether the policy makes it public, default encryption. */
import { GetBucketEncryptionCommand, GetBucketPolicyStatusCommand, GetPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
import { AwsCallError } from '../../aws/call.js';
import { awsCall, awsTarget, awsUnready, type AwsTarget } from '../aws-call.js';
import type { EnrichContext, Evidence, Provider } from '../types.js';

const NAME = 's3-bucket';

function ev(field: string, value: string, verdict?: Evidence['verdict']): Evidence {
  return { provider: NAME, field, value, ...(verdict ? { verdict } : {}) };
}

/** S3 answers "not configured" with a not-found error; that is a fact, not a failure. */
async function orMissing<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (err) {
    if (err instanceof AwsCallError && err.kind === 'not-found') return undefined;
    throw err;
  }
}

export async function s3Evidence(ctx: EnrichContext, target: AwsTarget, bucket: string): Promise<Evidence[]> {
  const block = await orMissing(awsCall(ctx, target, S3Client, 's3:GetPublicAccessBlock', (cl, o) => cl.send(new GetPublicAccessBlockCommand({ Bucket: bucket }), o)));
  const c = block?.PublicAccessBlockConfiguration;
  const all = c?.BlockPublicAcls && c.IgnorePublicAcls && c.BlockPublicPolicy && c.RestrictPublicBuckets;
  const out = [ev('public access block', !c ? 'not configured' : all ? 'all four on' : 'partly off', all ? undefined : 'suspicious')];

  const status = await orMissing(awsCall(ctx, target, S3Client, 's3:GetBucketPolicyStatus', (cl, o) => cl.send(new GetBucketPolicyStatusCommand({ Bucket: bucket }), o)));
  const isPublic = status?.PolicyStatus?.IsPublic === true;
  out.push(ev('bucket policy', !status ? 'no policy' : isPublic ? 'public' : 'not public', isPublic ? 'bad' : undefined));

  const enc = await orMissing(awsCall(ctx, target, S3Client, 's3:GetBucketEncryption', (cl, o) => cl.send(new GetBucketEncryptionCommand({ Bucket: bucket }), o)));
  const algo = enc?.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm;
  out.push(ev('default encryption', algo ?? 'none'));
  return out;
}

export const s3Provider: Provider = {
  name: NAME,
  appliesTo: (s) => s.resource.type === 'S3Bucket' && s.resource.id !== undefined,
  unready: awsUnready,
  timeoutMs: 5_000,
  ttlSeconds: 300,
  budget: 3,
  cacheKey: (s) => `${s.accountId}:${s.resource.id}`,
  run: async (ctx) => ({ evidence: await s3Evidence(ctx, awsTarget(ctx), ctx.signal.resource.id ?? '') }),
};
