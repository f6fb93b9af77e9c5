import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ResponseSchema, defaultResponseConfig } from '../../src/config/response-schema.js';
import { publishHome } from '../../src/respond/home.js';
import { alertDecision, duetDecision, duetSignal, keySignal } from '../fixtures/respond/signals.js';
import { openHarness, USERS, type Harness } from './harness.js';

function json(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

describe('response settings', () => {
  it('default to nobody allowed, nothing automatic, 30-day suppressions', () => {
    expect(defaultResponseConfig()).toEqual({
      roles: { analyst: { users: [], groups: [] }, responder: { users: [], groups: [] }, contacts: { users: [], groups: [] } },
      identity_map: { iam_users: {}, role_sessions: {}, emails: {} },
      protect: [],
      two_person: { enabled: false, window_minutes: 30 },
      ack_escalation: { after_minutes: 30 },
      duet: { reminder_minutes: 60, timeout_minutes: 240 },
      suppression_days: 30,
      auto_remediate: [],
    });
  });

  it.each([
    [{ roles: { analyst: { users: ['alice'] } } }, 'roles.analyst.users.0'],
    [{ ack_escalation: { oncall_group: 'U0NOTAGROUP' } }, 'ack_escalation.oncall_group'],
    [{ duet: { reminder_minutes: 30, timeout_minutes: 30 } }, 'duet'],
    [{ auto_remediate: [{ rule: 'x', action: 'delete_user' }] }, 'auto_remediate.0.action'],
    [{ surprise: true }, ''],
  ])('rejects %j at %s', (input, path) => {
    const result = ResponseSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path.join('.')).toBe(path);
  });
});

describe('App Home', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await openHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('shows an analyst the tenant’s open alerts and waiting DUETs, and a stranger nothing', async () => {
    const alert = await h.postCard('alert', keySignal(), alertDecision());
    await h.postCard('duet', duetSignal(), duetDecision());

    await publishHome(h.ctx, USERS.analyst);
    const analystView = json(h.slack.callsTo('views.publish')[0]?.args.view);
    expect(analystView).toContain('*Acme*: 1 open alert(s), 1 DUET(s) awaiting an answer');
    expect(analystView).toContain(`alert \`${alert.id}\``);
    expect(analystView).toContain('Your roles: analyst');

    await publishHome(h.ctx, USERS.stranger);
    const strangerView = json(h.slack.callsTo('views.publish')[1]?.args.view);
    expect(strangerView).toContain('Your roles: none');
    expect(strangerView).not.toContain('Acme');
    expect(strangerView).not.toContain(alert.id);
  });
});
