import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeButtonValue } from '../../blocks/button-value.js';
import { ActionId } from '../../blocks/action-ids.js';
import { verifySlackSignature } from '../../src/respond/verify.js';
import { alertDecision, keySignal } from '../fixtures/respond/signals.js';
import { clickBody, openHarness, postSigned, SECRET, sign, startApp, until, USERS, type Harness } from './harness.js';

const NOW_MS = Date.parse('2026-12-01T09:00:00Z');
const NOW_S = NOW_MS / 1000;
const BODY = 'command=%2Fpicket&text=audit';

describe('verifySlackSignature', () => {
  const cases: [string, Parameters<typeof verifySlackSignature>[1], ReturnType<typeof verifySlackSignature>][] = [
    ['a valid request', { body: BODY, timestamp: String(NOW_S), signature: sign(BODY, NOW_S) }, { ok: true }],
    ['one 299 s old', { body: BODY, timestamp: String(NOW_S - 299), signature: sign(BODY, NOW_S - 299) }, { ok: true }],
    ['a stale request (301 s old)', { body: BODY, timestamp: String(NOW_S - 301), signature: sign(BODY, NOW_S - 301) }, { ok: false, reason: 'stale' }],
    ['a request from the future (301 s ahead)', { body: BODY, timestamp: String(NOW_S + 301), signature: sign(BODY, NOW_S + 301) }, { ok: false, reason: 'future' }],
    ['a tampered body', { body: `${BODY}x`, timestamp: String(NOW_S), signature: sign(BODY, NOW_S) }, { ok: false, reason: 'mismatch' }],
    ['another secret', { body: BODY, timestamp: String(NOW_S), signature: sign(BODY, NOW_S, 'other-secret') }, { ok: false, reason: 'mismatch' }],
    ['no signature', { body: BODY, timestamp: String(NOW_S), signature: undefined }, { ok: false, reason: 'missing' }],
    ['no timestamp', { body: BODY, timestamp: undefined, signature: sign(BODY, NOW_S) }, { ok: false, reason: 'missing' }],
    ['a non-numeric timestamp', { body: BODY, timestamp: '1e9', signature: sign(BODY, NOW_S) }, { ok: false, reason: 'malformed' }],
  ];
  it.each(cases)('judges %s', (_name, req, verdict) => {
    expect(verifySlackSignature(SECRET, req, NOW_MS)).toEqual(verdict);
  });
});

describe('the verifying receiver over real HTTP', () => {
  let h: Harness;
  let app: Awaited<ReturnType<typeof startApp>>;
  let value: string;

  beforeAll(async () => {
    h = await openHarness();
    app = await startApp(h);
    const alert = await h.postCard('alert', keySignal(), alertDecision());
    value = encodeButtonValue(alert.signal.id, alert.ruleId);
  });
  afterAll(async () => {
    await app.stop();
    await h.close();
  });

  const body = () => clickBody(ActionId.acknowledge, value, USERS.analyst);
  const now = () => Math.floor(Date.now() / 1000);

  it('accepts a correctly signed click, acknowledges it, and queues the work', async () => {
    const res = await postSigned(app.url, body());
    expect(res.status).toBe(200);
    const jobs = await until(async () => {
      const waiting = await h.queue.getJobs(['waiting']);
      return waiting.length > 0 && waiting;
    });
    expect(jobs.map((j) => j.data)).toEqual([{ type: 'lifecycle', op: 'acknowledge', alertId: expect.any(String), actor: { userId: USERS.analyst, roles: ['analyst'] } }]);
    await h.queue.drain();
  });

  const refused: [string, () => Parameters<typeof postSigned>[2] & { body?: string }][] = [
    ['stale', () => ({ timestamp: now() - 301 })],
    ['future', () => ({ timestamp: now() + 301 })],
    ['tampered body', () => ({ signature: sign(body().replace('U0ANALYST', 'U0RESPOND'), now()), timestamp: now() })],
    ['missing signature header', () => ({ signature: null })],
  ];
  it.each(refused)('refuses a %s request with 401 and does nothing', async (_name, make) => {
    const opts = make();
    const before = h.slack.calls.length;
    const res = await postSigned(app.url, body(), opts);
    expect(res.status).toBe(401);
    expect(await h.queue.getJobCounts('waiting', 'delayed')).toEqual({ waiting: 0, delayed: 0 });
    expect(h.slack.calls.length).toBe(before);
  });

  it('refuses a request with no timestamp header', async () => {
    const res = await fetch(app.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-signature': sign(body(), now()) }, body: body() });
    expect(res.status).toBe(401);
  });
});
