import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { demoCommand } from '../../src/cli/demo.js';
import { TEST_REDIS_URL } from '../helpers/redis.js';

const EXAMPLES = new URL('../fixtures/transport/examples/', import.meta.url).pathname;

describe('picket demo', () => {
  it('runs the examples through intake, queue and worker in local mode and cleans up its keys', async () => {
    process.env.REDIS_URL = TEST_REDIS_URL;
    process.env.PICKET_LOG_LEVEL = 'error';
    const outDir = await mkdtemp(join(tmpdir(), 'picket-demo-'));
    const out: string[] = [];
    const err: string[] = [];

    const code = await demoCommand([EXAMPLES, '--out', outDir], { out: (l) => void out.push(l), err: (l) => void err.push(l) });

    expect(code).toBe(0);
    expect(err).toEqual([`  ${join(EXAMPLES, '4-not-json.json')}: HTTP 400 invalid JSON`]);
    const summary = out.slice(out.indexOf('── summary ──') + 1);
    expect(summary[0]).toBe('intake:     read 4, enqueued 4 (3 jobs), duplicate 0, ignored 0, rejected 0');
    expect(summary[3]).toBe('cards:      posted 1, updated 1, unchanged 0');
    expect(summary[4]).toBe('dead letters: 1');
    expect(out.filter((l) => l.startsWith('  ↳ thread note in C0PICKETSOC'))).toHaveLength(1);

    const files = await readdir(outDir);
    expect(files).toHaveLength(1);
    const card = JSON.parse(await readFile(join(outDir, files[0] ?? ''), 'utf8')) as { cardKey: string; notes: string[]; blockKitBuilder: string };
    expect(card.cardKey).toBe('gd:111122223333:demo0a1b2c3d4e5f');
    expect(card.notes).toHaveLength(1);
    expect(card.blockKitBuilder.startsWith('https://app.slack.com/block-kit-builder/#')).toBe(true);

    const prefix = /queue prefix (\S+)$/.exec(out[0] ?? '')?.[1];
    expect(prefix).toMatch(/^picket-demo-[0-9a-f]{8}$/);
    const redis = new Redis(TEST_REDIS_URL);
    expect(await redis.keys(`${prefix}:*`)).toEqual([]);
    redis.disconnect();
  });
});
