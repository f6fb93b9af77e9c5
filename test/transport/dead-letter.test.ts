import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDeadLetterStore, rawForReplay } from '../../src/queue/dead-letter.js';
import { openTestRedis, type TestRedis } from '../helpers/redis.js';

describe('dead-letter store', () => {
  let t: TestRedis;
  beforeEach(async () => {
    t = await openTestRedis('dlq');
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('keeps reason, origin, time and raw input, newest first', async () => {
    let clock = Date.parse('2024-05-01T10:00:00Z');
    const store = createDeadLetterStore(t.redis, t.prefix, { now: () => new Date((clock += 1000)) });
    const first = await store.add({ reason: 'not JSON', stage: 'intake', source: 'http', raw: 'nope{' });
    const second = await store.add({ reason: 'no id', stage: 'read', source: 'a.json', index: 3, wrapper: 'finding', raw: { type: 'X' } });

    const list = await store.list();
    expect(list.map((e) => e.id)).toEqual([second, first]);
    expect(list[0]).toEqual({
      id: second, at: '2024-05-01T10:00:02.000Z', reason: 'no id', stage: 'read', source: 'a.json',
      index: 3, wrapper: 'finding', rawBytes: 12, truncated: false, encoding: 'utf8',
    });
    expect((await store.get(second))?.raw).toBe('{"type":"X"}');
    expect(await store.count()).toBe(2);
  });

  it('caps the raw input and says it was truncated', async () => {
    const store = createDeadLetterStore(t.redis, t.prefix, { maxRawBytes: 10 });
    const id = await store.add({ reason: 'too big', stage: 'intake', source: 'http', raw: 'x'.repeat(25) });
    const entry = await store.get(id);
    expect(entry?.raw).toBe('x'.repeat(10));
    expect(entry?.rawBytes).toBe(25);
    expect(entry?.truncated).toBe(true);
  });

  it('keeps gzip input as base64 and gives the bytes back for replay', async () => {
    const store = createDeadLetterStore(t.redis, t.prefix);
    const gz = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff]);
    const entry = await store.get(await store.add({ reason: 'bad gzip', stage: 'intake', source: 'http', raw: gz }));
    expect(entry && rawForReplay(entry)).toEqual(gz);
  });

  it('drops the oldest entries past maxEntries', async () => {
    let clock = 0;
    const store = createDeadLetterStore(t.redis, t.prefix, { maxEntries: 2, now: () => new Date((clock += 1000)) });
    const ids = [];
    for (const n of [1, 2, 3]) ids.push(await store.add({ reason: `r${n}`, stage: 'read', source: 'f', raw: n }));
    expect((await store.list()).map((e) => e.reason)).toEqual(['r3', 'r2']);
    expect(await store.get(ids[0] ?? '')).toBeUndefined();
  });

  it('removes one entry and purges all', async () => {
    const store = createDeadLetterStore(t.redis, t.prefix);
    const a = await store.add({ reason: 'a', stage: 'read', source: 'f', raw: 1 });
    await store.add({ reason: 'b', stage: 'read', source: 'f', raw: 2 });
    expect(await store.remove(a)).toBe(true);
    expect(await store.remove(a)).toBe(false);
    expect(await store.purge()).toBe(1);
    expect(await store.list()).toEqual([]);
  });
});
