import {
  GetAccessKeyLastUsedCommand,
  ListAccessKeysCommand,
  PutRolePolicyCommand,
  UpdateAccessKeyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { InputError, RetryLaterError } from '../../core/errors.js';

/**
 * The IAM calls remediation makes, and nothing else: look a key up, flip its
 * status, read the status back, and write the session-revocation policy.
 * Each returns the AWS request id for the audit trail.
 */

export interface KeyFacts {
  keyId: string;
  userName: string;
  status?: string;
  createdAt?: string;
  lastUsed?: { service?: string; region?: string; time?: string };
}

export async function describeKey(iam: IAMClient, keyId: string): Promise<KeyFacts> {
  const used = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: keyId }));
  const userName = used.UserName;
  if (!userName) throw new InputError(`IAM does not name an owner for ${keyId}`, { code: 'KEY_OWNER_UNKNOWN' });
  const listed = await keyStatus(iam, userName, keyId);
  const last = used.AccessKeyLastUsed;
  return {
    keyId,
    userName,
    status: listed.status,
    createdAt: listed.createdAt,
    lastUsed: {
      service: last?.ServiceName,
      region: last?.Region,
      time: last?.LastUsedDate?.toISOString(),
    },
  };
}

export async function keyStatus(iam: IAMClient, userName: string, keyId: string): Promise<{ status?: string; createdAt?: string; requestId?: string }> {
  const out = await iam.send(new ListAccessKeysCommand({ UserName: userName }));
  const key = out.AccessKeyMetadata?.find((k) => k.AccessKeyId === keyId);
  if (!key) throw new InputError(`${keyId} is not a key of IAM user ${userName}`, { code: 'KEY_NOT_FOUND' });
  return { status: key.Status, createdAt: key.CreateDate?.toISOString(), requestId: out.$metadata.requestId };
}

export async function setKeyStatus(iam: IAMClient, userName: string, keyId: string, status: 'Active' | 'Inactive'): Promise<string | undefined> {
  const out = await iam.send(new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: keyId, Status: status }));
  return out.$metadata.requestId;
}

/** Reads the status back; a key that does not show the new status yet is retried, not reported as done. */
export async function verifyKeyStatus(iam: IAMClient, userName: string, keyId: string, expected: 'Active' | 'Inactive'): Promise<string | undefined> {
  const { status, requestId } = await keyStatus(iam, userName, keyId);
  if (status !== expected) {
    throw new RetryLaterError(`${keyId} still shows ${status ?? 'no status'}, expected ${expected}`, { code: 'KEY_NOT_CONFIRMED' });
  }
  return requestId;
}

export const REVOKE_POLICY_NAME = 'PicketRevokeOlderSessions';

/** Deny everything to credentials issued before `before`: sessions issued later (fresh assumptions) still work. */
export function revokePolicyDocument(before: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'PicketRevokeOlderSessions',
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { DateLessThan: { 'aws:TokenIssueTime': before } },
      },
    ],
  });
}

export async function revokeRoleSessions(iam: IAMClient, roleName: string, before: string): Promise<string | undefined> {
  const out = await iam.send(
    new PutRolePolicyCommand({ RoleName: roleName, PolicyName: REVOKE_POLICY_NAME, PolicyDocument: revokePolicyDocument(before) }),
  );
  return out.$metadata.requestId;
}
