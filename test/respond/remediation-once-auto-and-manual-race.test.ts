/**
 * Regression (from an adversarial review; issue 5, "Deactivate access key"): "One `UpdateAccessKey` →
 * `Inactive` per approved click, however many times the button is pressed or the job retried."
 *
 * `runOnce` used to treat a claim held by a job still calling IAM like one left by a crash: auto-remediation
 * (job id `auto-…`) and a responder's confirm (job id `remediate-…`) share the operation key but not the
 * BullMQ job id, ran side by side, and both called UpdateAccessKey. The claim now comes with a lease the
 * caller renews; a second job that finds the lease held waits for the outcome instead of calling.
 */
import { GetAccessKeyLastUsedCommand, ListAccessKeysCommand, UpdateAccessKeyCommand, type IAMClient } from '@aws-sdk/client-iam';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { processActionJob } from '../../src/respond/worker.js';
import { alertDecision, keySignal, USER_KEY } from '../fixtures/respond/signals.js';
import { openHarness, USERS, type Harness } from './harness.js';

describe('exactly one UpdateAccessKey under concurrent jobs', () => {
  let h: Harness;
  let iam: AwsClientStub<IAMClient>;

  beforeEach(async () => {
    h = await openHarness();
    iam = mockClient(h.iam);
  });
  afterEach(async () => {
    iam.restore();
    await h.close();
  });

  it('auto-remediation and a responder confirming at the same moment deactivate the key once', async () => {
    const alert = await h.postCard('alert', keySignal(), alertDecision());
    let status: 'Active' | 'Inactive' = 'Active';
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    iam.on(GetAccessKeyLastUsedCommand).resolves({ UserName: 'build-bot', $metadata: { requestId: 'last' } });
    let listsWhileHeld = 0;
    iam.on(ListAccessKeysCommand).callsFake(() => {
      const reply = { AccessKeyMetadata: [{ UserName: 'build-bot', AccessKeyId: USER_KEY, Status: status }], $metadata: { requestId: 'list' } };
      // The manual job has described the key and asked whether the change landed: the first call may finish now
      // (so an implementation that waits for the in-flight claim is not deadlocked by this test).
      if (calls > 0 && (listsWhileHeld += 1) === 2) setImmediate(release);
      return reply;
    });
    iam.on(UpdateAccessKeyCommand).callsFake(async (input: { Status: 'Active' | 'Inactive' }) => {
      calls += 1;
      const n = calls;
      // The first call is slow (IAM latency); the second, if any, is not.
      if (n === 1) await gate;
      status = input.Status;
      return { $metadata: { requestId: `update-${n}` } };
    });

    const auto = processActionJob(h.ctx, { type: 'remediate', op: 'deactivate', alertId: alert.id, actor: { userId: 'picket', roles: ['responder'] }, generation: 0, auto: true });
    // Let the automatic job take its claim and start its IAM call.
    for (let i = 0; i < 200 && calls === 0; i += 1) await new Promise((r) => setTimeout(r, 5));
    const manual = processActionJob(h.ctx, { type: 'remediate', op: 'deactivate', alertId: alert.id, actor: { userId: USERS.responder, roles: ['responder'] }, generation: 0 });
    await Promise.allSettled([manual]);
    release();
    await Promise.allSettled([auto]);

    expect(calls).toBe(1);
    const oks = (await h.ctx.audit.recent({ alertId: alert.id, limit: 20 })).filter((e) => e.action === 'deactivate_key' && e.result === 'ok' && !String(e.detail ?? '').includes('IAM not called again'));
    expect(oks).toHaveLength(1);
    expect(oks[0]).toMatchObject({ user: 'picket', awsRequestId: 'update-1', detail: 'automatic' });
    // One thread note says so, not one per job.
    const notes = h.slack.callsTo('chat.postMessage').filter((c) => String(c.args.text ?? '').includes('was deactivated and IAM confirms it is Inactive'));
    expect(notes).toHaveLength(1);
  });
});
