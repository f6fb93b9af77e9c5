import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveConfig } from '../config/resolve.js';
import { errorMessage } from '../core/errors.js';
import { createLogger, type Logger } from '../core/log.js';
import { readInput } from '../intake/reader.js';
import type { EnqueueCounts } from '../queue/enqueue.js';
import { startPipeline } from '../queue/pipeline.js';
import { deleteKeysUnder, redisReady } from '../queue/redis.js';
import { openRuntime, redisHelp, type Runtime } from '../queue/runtime.js';
import { queueSettings } from '../queue/settings.js';
import { createIntakeHandler } from '../slack/intake-route.js';
import { listenIntake, type IntakeServer } from '../sources/http-intake.js';
import { flagString, parseArgs } from './args.js';
import type { Command, CommandIO } from './io.js';
import { addCounts, emptyCounts, formatCounts } from './replay.js';

/**
 * `picket demo [dir] [--out DIR]`: the real pipeline in local mode. Every file under examples/
 * goes through the HTTPS intake (loopback, generated secret) into the queue;
 * the worker triages and "posts" cards to the terminal and out/. Runs under a
 * throw-away queue prefix and removes its Redis keys at the end.
 */

const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EXAMPLES = join(PACKAGE_ROOT, 'examples');
const INPUT = /\.(json|jsonl|ndjson|gz)$/i;
const SETTLE_LIMIT_MS = 120_000;
/** One job at a time, so an update in the examples always lands after the finding it updates. */
const DEMO_CONCURRENCY = 1;

export const demoCommand: Command = async (args, io) => {
  const parsed = parseArgs(args, ['out']);
  const log = createLogger({ base: { component: 'demo' }, level: 'warn' });
  const settings = { ...queueSettings(), prefix: `picket-demo-${randomBytes(4).toString('hex')}` };
  const runtime = await openRuntime({ settings, log }).catch(() => undefined);
  if (!runtime) {
    for (const line of redisHelp(settings.redisUrl)) io.err(line);
    return 1;
  }
  try {
    return await runDemo(runtime, log, io, { dir: parsed.positionals[0] ?? EXAMPLES, outDir: flagString(parsed, 'out') ?? 'out' });
  } catch (err) {
    io.err(`picket demo: ${errorMessage(err)}`);
    return 1;
  } finally {
    await runtime.queue.close();
    await deleteKeysUnder(runtime.redis, settings.prefix).catch(() => 0);
    runtime.redis.disconnect();
  }
};

async function runDemo(runtime: Runtime, log: Logger, io: CommandIO, where: { dir: string; outDir: string }): Promise<number> {
  const { config, file } = resolveConfig();
  const secret = randomBytes(24).toString('base64url');
  const handler = createIntakeHandler({
    secret, maxBodyBytes: 10 * 1024 * 1024, read: readInput, enqueuer: runtime.enqueuer,
    deadLetters: runtime.deadLetters, ready: () => redisReady(runtime.redis), log,
  });
  const pipeline = await startPipeline({ runtime, config, root: PACKAGE_ROOT, secrets: { slackBotToken: undefined }, log, write: io.out, outDir: where.outDir, concurrency: DEMO_CONCURRENCY });
  const intake = await listenIntake(handler, config.intake.path, { port: 0, host: '127.0.0.1' }).catch(async (err: unknown) => {
    await pipeline.close();
    throw err;
  });
  try {
    io.out(`picket demo: config ${file}, intake ${intake.url}, queue prefix ${runtime.settings.prefix}`);
    const sent = await sendExamples(intake, secret, where.dir, io);
    await settle(runtime, sent.jobs);
    await printSummary(runtime, sent, io);
    return 0;
  } finally {
    await pipeline.close();
    await intake.close();
  }
}

async function sendExamples(intake: IntakeServer, secret: string, dir: string, io: CommandIO): Promise<EnqueueCounts> {
  const total = emptyCounts();
  for (const path of await listInputs(dir)) {
    const reply = await fetch(intake.url, { method: 'POST', headers: { authorization: `Bearer ${secret}` }, body: await readFile(path) });
    const body = (await reply.json()) as Partial<EnqueueCounts> & { error?: string };
    if (reply.status !== 202) {
      io.err(`  ${path}: HTTP ${reply.status} ${body.error ?? ''}`);
      continue;
    }
    addCounts(total, { ...emptyCounts(), ...body });
  }
  return total;
}

async function listInputs(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && INPUT.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

async function settle(runtime: Runtime, jobs: number): Promise<void> {
  const deadline = Date.now() + SETTLE_LIMIT_MS;
  while (Date.now() < deadline) {
    const counts = await runtime.queue.getJobCounts('completed', 'failed');
    if ((counts.completed ?? 0) + (counts.failed ?? 0) >= jobs) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the worker did not finish ${jobs} jobs within ${SETTLE_LIMIT_MS / 1000} s`);
}

async function printSummary(runtime: Runtime, sent: EnqueueCounts, io: CommandIO): Promise<void> {
  const stats = await runtime.stats.read();
  const pairs = (record: Record<string, number>) => Object.entries(record).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
  io.out('');
  io.out('── summary ──');
  io.out(`intake:     ${formatCounts(sent)}`);
  io.out(`outcomes:   ${pairs(stats.outcomes)}`);
  io.out(`routes:     ${pairs(stats.routes)}`);
  io.out(`cards:      posted ${stats.deliveries.posted}, updated ${stats.deliveries.updated}, unchanged ${stats.deliveries.unchanged}`);
  io.out(`dead letters: ${await runtime.deadLetters.count()}`);
}
