import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { IAMClient, GetUserCommand } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { CredentialCache } from '../../src/aws/credentials.js';
import { AwsAccess } from '../../src/aws/access.js';
import { callAws, AwsCallError } from '../../src/aws/call.js';
import { captureLogger, instantClock } from './support.js';

const ROLE = 'arn:aws:iam::444455556666:role/PicketReadOnly';
const sts = mockClient(STSClient);
const iam = mockClient(IAMClient);

function stsAnswer(expiresAtMs: number, n: number) {
  return {
    Credentials: { AccessKeyId: `ASIAROLECREDS${n}`, SecretAccessKey: 'secret', SessionToken: `token-${n}`, Expiration: new Date(expiresAtMs) },
    $metadata: { requestId: `sts-req-${n}` },
  };
}

afterEach(() => {
  sts.reset();
  iam.reset();
});

describe('CredentialCache', () => {
  it('assumes the role with the external id once, then reuses the credentials until 10 minutes before expiry', async () => {
    const clock = instantClock(Date.parse('2024-05-01T10:00:00Z'));
    const hour = 3_600_000;
    sts.on(AssumeRoleCommand).resolvesOnce(stsAnswer(clock.now() + hour, 1)).resolvesOnce(stsAnswer(clock.now() + 2 * hour, 2));
    const { log, lines } = captureLogger();
    const cache = new CredentialCache({ sts: () => new STSClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }), log, clock });
    const account = { accountId: '444455556666', roleArn: ROLE, externalId: 'picket-ext-123' };

    const [a, b] = await Promise.all([cache.get(account), cache.get(account)]);
    await clock.sleep(49 * 60_000);
    const c = await cache.get(account);
    await clock.sleep(2 * 60_000);
    const d = await cache.get(account);

    expect(sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input)).toEqual([
      { RoleArn: ROLE, RoleSessionName: 'picket-enrichment', DurationSeconds: 3600, ExternalId: 'picket-ext-123' },
      { RoleArn: ROLE, RoleSessionName: 'picket-enrichment', DurationSeconds: 3600, ExternalId: 'picket-ext-123' },
    ]);
    expect([a?.accessKeyId, b?.accessKeyId, c?.accessKeyId, d?.accessKeyId]).toEqual(['ASIAROLECREDS1', 'ASIAROLECREDS1', 'ASIAROLECREDS1', 'ASIAROLECREDS2']);
    expect(lines.filter((l) => l.msg === 'assumed role').map((l) => l.awsRequestId)).toEqual(['sts-req-1', 'sts-req-2']);
  });

  it('uses the default chain (no credentials of its own) for an account without a role', async () => {
    const { log } = captureLogger();
    const cache = new CredentialCache({ sts: () => new STSClient({ region: 'us-east-1' }), log });
    expect(await cache.get({ accountId: '111122223333' })).toBeUndefined();
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
  });

  it('reports a refused AssumeRole with its request id and class', async () => {
    const denied = Object.assign(new Error('not authorized'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403, requestId: 'sts-denied-1' } });
    sts.on(AssumeRoleCommand).rejects(denied);
    const { log, lines } = captureLogger();
    const cache = new CredentialCache({ sts: () => new STSClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }), log });
    await expect(cache.get({ accountId: '444455556666', roleArn: ROLE })).rejects.toMatchObject({ code: 'AWS_ASSUME_ROLE' });
    expect(lines.find((l) => l.msg === 'AssumeRole failed')).toMatchObject({ awsRequestId: 'sts-denied-1', class: 'access-denied' });
  });
});

describe('AwsAccess and callAws', () => {
  it('refuses accounts that are not configured', () => {
    const { log } = captureLogger();
    const access = new AwsAccess({ accounts: [{ accountId: '111122223333' }], log });
    expect(access.canReach('999999999999')).toBe(false);
    expect(() => access.client(IAMClient, '999999999999', 'us-east-1')).toThrow(/not configured/);
  });

  it('retries throttling with backoff and logs each attempt with its request id', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400, requestId: 'iam-throttled-1' } });
    iam.on(GetUserCommand).rejectsOnce(throttled).resolves({ User: undefined, $metadata: { requestId: 'iam-ok-2' } });
    const { log, lines } = captureLogger();
    const clock = instantClock();
    const access = new AwsAccess({ accounts: [{ accountId: '111122223333' }], log, clock, staticCredentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const client = access.client(IAMClient, '111122223333', 'us-east-1');

    await callAws(access, { accountId: '111122223333', region: 'us-east-1', operation: 'iam:GetUser' }, () => client.send(new GetUserCommand({ UserName: 'alice' })), { attempts: 3, baseMs: 200, capMs: 1000, random: () => 0.5 });

    expect(iam.commandCalls(GetUserCommand).map((c) => c.args[0].input)).toEqual([{ UserName: 'alice' }, { UserName: 'alice' }]);
    expect(clock.sleeps).toEqual([100]);
    expect(lines.filter((l) => l.operation === 'iam:GetUser').map((l) => [l.msg, l.awsRequestId])).toEqual([
      ['aws call retrying', 'iam-throttled-1'],
      ['aws call', 'iam-ok-2'],
    ]);
  });

  it('gives up at once on access denied, keeping the class and request id', async () => {
    const denied = Object.assign(new Error('denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403, requestId: 'iam-denied-9' } });
    iam.on(GetUserCommand).rejects(denied);
    const { log } = captureLogger();
    const access = new AwsAccess({ accounts: [{ accountId: '111122223333' }], log, clock: instantClock(), staticCredentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const client = access.client(IAMClient, '111122223333', 'us-east-1');
    const failure = callAws(access, { accountId: '111122223333', region: 'us-east-1', operation: 'iam:GetUser' }, () => client.send(new GetUserCommand({ UserName: 'bob' })));
    await expect(failure).rejects.toBeInstanceOf(AwsCallError);
    await expect(failure).rejects.toMatchObject({ kind: 'access-denied', requestId: 'iam-denied-9' });
    expect(iam.commandCalls(GetUserCommand)).toHaveLength(1);
  });
});
