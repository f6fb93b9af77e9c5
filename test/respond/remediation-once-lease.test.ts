/**
 * `runOnce` tells a claim whose job is still calling AWS (its lease is held) from one a crash left behind
 * (claimed, no lease): only the second is settled by asking AWS and, if the change is not there, calling.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { respondKeys } from '../../src/respond/keys.js';
import { runOnce } from '../../src/respond/remediation/once.js';
import { openTestRedis, type TestRedis } from '../helpers/redis.js';

let tr: TestRedis;
beforeAll(async () => {
  tr = await openTestRedis('once');
});
afterAll(async () => {
  await tr.cleanup();
});

function steps(landed: boolean) {
  const log: string[] = [];
  return {
    log,
    steps: {
      call: async () => {
        log.push('call');
        return 'req-1';
      },
      landed: async () => {
        log.push('landed?');
        return landed;
      },
    },
  };
}

describe('runOnce', () => {
  it('calls once and later runs return the recorded request id without asking AWS', async () => {
    const first = steps(false);
    expect(await runOnce(tr.redis, tr.prefix, 'op-a', first.steps)).toEqual({ called: true, requestId: 'req-1' });
    const again = steps(false);
    expect(await runOnce(tr.redis, tr.prefix, 'op-a', again.steps)).toEqual({ called: false, requestId: 'req-1' });
    expect([first.log, again.log]).toEqual([['call'], []]);
  });

  it('settles a claim abandoned by a crash by asking AWS: landed means no call', async () => {
    await tr.redis.set(respondKeys(tr.prefix).idem('op-b'), JSON.stringify({ state: 'claimed' }));
    const run = steps(true);
    expect(await runOnce(tr.redis, tr.prefix, 'op-b', run.steps)).toEqual({ called: false });
    expect(run.log).toEqual(['landed?']);
    expect(JSON.parse((await tr.redis.get(respondKeys(tr.prefix).idem('op-b'))) ?? '{}')).toEqual({ state: 'done' });
  });

  it('an abandoned claim whose change did not land is called again, once', async () => {
    await tr.redis.set(respondKeys(tr.prefix).idem('op-c'), JSON.stringify({ state: 'claimed' }));
    const run = steps(false);
    expect(await runOnce(tr.redis, tr.prefix, 'op-c', run.steps)).toEqual({ called: true, requestId: 'req-1' });
    expect(run.log).toEqual(['landed?', 'call']);
  });

  it('while another job holds the lease it waits for that job\'s outcome instead of calling', async () => {
    const key = respondKeys(tr.prefix).idem('op-d');
    await tr.redis.set(key, JSON.stringify({ state: 'claimed' }));
    await tr.redis.set(`${key}:lease`, 'someone-else', 'PX', 30_000);
    const run = steps(false);
    const waiting = runOnce(tr.redis, tr.prefix, 'op-d', run.steps);
    // The other job finishes: its claim turns to done and its lease goes.
    setTimeout(() => void tr.redis.multi().set(key, JSON.stringify({ state: 'done', requestId: 'req-other' })).del(`${key}:lease`).exec(), 120);
    expect(await waiting).toEqual({ called: false, requestId: 'req-other' });
    expect(run.log).toEqual(['landed?']);
  });

  it('ten jobs racing on one key make one call', async () => {
    let calls = 0;
    const slow = { call: async () => ((calls += 1), await new Promise((r) => setTimeout(r, 50)), `req-${calls}`), landed: async () => false };
    const results = await Promise.all(Array.from({ length: 10 }, () => runOnce(tr.redis, tr.prefix, 'op-e', slow)));
    expect(calls).toBe(1);
    expect(results.filter((r) => r.called)).toEqual([{ called: true, requestId: 'req-1' }]);
    expect(results.filter((r) => !r.called).map((r) => r.requestId)).toEqual(Array.from({ length: 9 }, () => 'req-1'));
  });
});
