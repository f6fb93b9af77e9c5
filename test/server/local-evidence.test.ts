import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCard } from '../../blocks/alert-card.js';
import { silentLogger } from '../../src/core/log.js';
import { IntelStore } from '../../src/intel/store.js';
import { createCardDelivery } from '../../src/slack/wiring.js';
import { fixedGeo } from '../enrich/support.js';
import { alertDecision, keySignal } from '../fixtures/respond/signals.js';
import { openTestRedis, type TestRedis } from '../helpers/redis.js';

/** Local mode (no bot token) has no enrichment worker: its cards carry the offline evidence, in the terminal and in out/. */

const INTEL = new URL('../fixtures/server/intel.yml', import.meta.url).pathname;

describe('local-mode cards', () => {
  let t: TestRedis;
  let outDir: string;

  beforeAll(async () => {
    t = await openTestRedis('local-evidence');
    outDir = await mkdtemp(join(tmpdir(), 'picket-local-evidence-'));
  });
  afterAll(async () => {
    await t.cleanup();
    await rm(outDir, { recursive: true, force: true });
  });

  it('show intel and geo evidence with its provider above the buttons', async () => {
    const intel = new IntelStore([INTEL]);
    intel.load();
    const lines: string[] = [];
    const { delivery, mode } = createCardDelivery({
      redis: t.redis, prefix: t.prefix, secrets: { slackBotToken: undefined }, log: silentLogger, write: (l) => void lines.push(l), outDir,
      offline: { intel, geo: fixedGeo({ '203.0.113.77': { country: 'XX' } }) },
    });
    const signal = keySignal({ remotes: [{ ip: '203.0.113.77' }] });
    const decision = alertDecision();
    const card = buildCard(signal, decision);

    expect(mode).toBe('local');
    expect(await delivery.deliver({ origin: { file: 'test', index: 0, wrapper: 'finding' }, outcome: 'alert', signal, decision, channel: 'C0LOCAL', card, cardKey: 'local:evidence' })).toBe('posted');

    const evidence = ['*Evidence*', '🔴 *203.0.113.77*: staging host from the serve test (serve-e2e)  _intel_', '• *203.0.113.77*: XX  _geo_'];
    const [file] = await readdir(outDir);
    const saved = JSON.parse(await readFile(join(outDir, file ?? ''), 'utf8')) as { blocks: { type: string; text?: { text: string } }[] };
    const at = saved.blocks.findIndex((b) => b.text?.text.startsWith('*Evidence*'));
    expect(saved.blocks[at]?.text?.text.split('\n')).toEqual(evidence);
    expect(saved.blocks.findIndex((b) => b.type === 'actions')).toBeGreaterThan(at);
    expect(lines).toContain('Evidence:');
  });
});
