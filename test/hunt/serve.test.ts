import { App } from '@slack/bolt';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RuleLoadFailure } from '../../src/detect/ruleset.js';
import { startHuntSide } from '../../src/hunt/serve.js';
import { createVerifyingReceiver } from '../../src/respond/verify.js';
import { ACCOUNT } from '../fixtures/respond/signals.js';
import { TEST_REDIS_URL } from '../helpers/redis.js';
import { STAND_IN_TOKEN } from '../helpers/slack-stand-in.js';
import { openHarness, postSigned, SECRET, SOC, until, USERS, type Harness } from '../respond/harness.js';

function quietBolt() {
  const noop = () => undefined;
  return { debug: noop, info: noop, warn: noop, error: noop, setLevel: noop, getLevel: () => 'error' as never, setName: noop };
}

describe('the hunt side of serve', () => {
  let h: Harness;
  let app: App;

  beforeEach(async () => {
    h = await openHarness();
    app = new App({ receiver: createVerifyingReceiver({ signingSecret: SECRET }), token: STAND_IN_TOKEN, clientOptions: { slackApiUrl: h.slack.apiUrl }, logger: quietBolt() });
  });
  afterEach(async () => {
    await h.close();
  });

  it('runs /hunt through the real queue and worker, and says so when there is no AWS access', async () => {
    const side = startHuntSide(app, { redisUrl: TEST_REDIS_URL, response: h.deps });
    const server = (await app.start(0)) as Server;
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
      const body = new URLSearchParams({ command: '/hunt', text: `root-activity ${ACCOUNT}`, user_id: USERS.analyst, channel_id: SOC, team_id: 'T0STANDIN', response_url: h.slack.responseUrl('w1'), trigger_id: '1' }).toString();
      await postSigned(url, body);
      const update = await until(async () => h.slack.callsTo('chat.update')[0]);
      expect(update.args.text).toBe(`⚠️ Hunt root-activity in ${ACCOUNT} (us-west-2): failed (no AWS access configured)`);
      const failed = await until(async () => (await h.ctx.audit.recent()).find((e) => e.result === 'failed'));
      expect(failed).toMatchObject({ action: 'hunt', target: `root-activity@${ACCOUNT}`, detail: 'no AWS access configured' });
    } finally {
      await app.stop();
      await side.close();
    }
  });

  it('refuses to start with a broken hunt file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'picket-hunt-serve-'));
    try {
      writeFileSync(join(dir, 'broken.yml'), 'title: x\n');
      expect(() => startHuntSide(app, { redisUrl: TEST_REDIS_URL, response: h.deps, huntsDir: dir })).toThrow(RuleLoadFailure);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
