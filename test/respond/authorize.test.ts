import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionId } from '../../blocks/action-ids.js';
import { encodeButtonValue } from '../../blocks/button-value.js';
import { authorize, PERMISSIONS } from '../../src/respond/authorize.js';
import { RESPONSE_ACTIONS, type ResponseAction, type Role } from '../../src/respond/types.js';
import { alertDecision, duetDecision, duetSignal, keySignal } from '../fixtures/respond/signals.js';
import { clickBody, count, CUSTOMER, openHarness, postSigned, startApp, until, USERS, type Harness } from './harness.js';

/** The table the issue describes, written out independently of PERMISSIONS. */
const EXPECTED: Record<ResponseAction, Role[]> = {
  acknowledge: ['analyst'],
  assign: ['analyst'],
  investigate: ['analyst'],
  query_cloudtrail: ['analyst'],
  close: ['analyst'],
  deactivate_key: ['responder'],
  reactivate_key: ['responder'],
  revoke_sessions: ['responder'],
  approve_remediation: ['responder'],
  duet_answer: ['contact', 'actor'],
  suppress: ['contact', 'actor'],
  suppression_list: ['analyst', 'responder'],
  suppression_revoke: ['analyst'],
  audit_view: ['analyst', 'responder'],
  detections_view: ['analyst', 'responder', 'contact'],
};

const ROLES: Role[] = ['analyst', 'responder', 'contact', 'actor'];

describe('the permission table', () => {
  const cells = RESPONSE_ACTIONS.flatMap((action) => [...ROLES.map((role) => [action, role] as const), [action, 'nobody'] as const]);
  it.each(cells)('%s by %s', (action, role) => {
    const roles = role === 'nobody' ? [] : [role];
    const verdict = authorize(action, roles);
    expect(verdict.allowed).toBe(role !== 'nobody' && EXPECTED[action].includes(role));
  });

  it('covers every action and nothing else', () => {
    expect(Object.keys(PERMISSIONS).sort()).toEqual([...RESPONSE_ACTIONS].sort());
  });
});

interface ClickCase {
  id: string;
  action: ResponseAction;
  duet: boolean;
}

const CLICK_CASES: ClickCase[] = [
  { id: ActionId.acknowledge, action: 'acknowledge', duet: false },
  { id: ActionId.assign, action: 'assign', duet: false },
  { id: ActionId.investigate, action: 'investigate', duet: false },
  { id: ActionId.close, action: 'close', duet: false },
  { id: ActionId.deactivateKey, action: 'deactivate_key', duet: false },
  { id: ActionId.reactivateKey, action: 'reactivate_key', duet: false },
  { id: ActionId.revokeSessions, action: 'revoke_sessions', duet: false },
  { id: ActionId.approveRemediation, action: 'approve_remediation', duet: false },
  { id: ActionId.rejectRemediation, action: 'approve_remediation', duet: false },
  { id: ActionId.duetYes, action: 'duet_answer', duet: true },
  { id: ActionId.duetNo, action: 'duet_answer', duet: true },
  { id: ActionId.suppressOffer, action: 'suppress', duet: true },
];

/** What each test user holds for the DUET (mapped = the identity map's dana). */
const HOLDS: Record<keyof typeof USERS, Role[]> = {
  analyst: ['analyst'],
  responder: ['responder'],
  responder2: ['responder'],
  contact: ['contact'],
  mapped: ['actor'],
  stranger: [],
};

describe('every role × every button, through the signed HTTP endpoint', () => {
  let h: Harness;
  let app: Awaited<ReturnType<typeof startApp>>;
  const values: Record<'alert' | 'duet', string> = { alert: '', duet: '' };

  beforeAll(async () => {
    h = await openHarness();
    app = await startApp(h);
    const alert = await h.postCard('alert', keySignal(), alertDecision());
    const duet = await h.postCard('duet', duetSignal(), duetDecision());
    values.alert = encodeButtonValue(alert.signal.id, alert.ruleId);
    values.duet = encodeButtonValue(duet.signal.id, duet.ruleId);
  });
  afterAll(async () => {
    await app.stop();
    await h.close();
  });

  const cells = CLICK_CASES.flatMap((c) => (Object.keys(USERS) as (keyof typeof USERS)[]).map((who) => [c.id, who, c] as const));
  it.each(cells)('%s by %s', async (_id, who, c) => {
    const userId = USERS[who];
    // Non-DUET alerts never give anyone the actor role.
    const roles = c.duet ? HOLDS[who] : HOLDS[who].filter((r) => r !== 'actor');
    const allowed = EXPECTED[c.action].some((r) => roles.includes(r));
    const updatesBefore = h.slack.callsTo('chat.update').length;
    const seen = new Set((await h.ctx.audit.recent({ limit: 50 })).map((e) => e.id));

    const res = await postSigned(app.url, clickBody(c.id, c.duet ? values.duet : values.alert, userId, c.duet ? CUSTOMER : undefined));
    expect(res.status).toBe(200);

    const marker = await until(async () => {
      const recent = await h.ctx.audit.recent({ limit: 5 });
      // Only the role table's refusals: a handler may refuse an allowed role for its own reason (Mute by a non-answerer).
      const refusal = recent.find((e) => !seen.has(e.id) && e.user === userId && e.action === c.action && e.result === 'refused' && e.detail?.endsWith('role for this tenant'));
      const told = h.slack.callsTo('chat.postEphemeral').some((call) => call.args.user === userId);
      if (refusal) return told && { refused: true };
      // An allowed click leaves a job, a modal or a private note; any of them ends the wait.
      const acted = (await count(h, 'waiting')) > 0 || h.slack.calls.some((call) => ['views.open', 'chat.postEphemeral'].includes(call.method) && (call.args.user === userId || call.method === 'views.open'));
      return acted ? { refused: false } : undefined;
    });
    expect(marker.refused).toBe(!allowed);
    if (!allowed) {
      const notes = h.slack.callsTo('chat.postEphemeral').filter((call) => call.args.user === userId);
      expect(String(notes.at(-1)?.args.text)).toContain("You can't do that here");
    }
    expect(h.slack.callsTo('chat.update').length).toBe(updatesBefore);
    await h.queue.drain();
    h.slack.calls.length = 0;
  });
});
