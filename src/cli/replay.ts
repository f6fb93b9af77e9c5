import { readFile, stat } from 'node:fs/promises';
import { createLogger } from '../core/log.js';
import { errorMessage } from '../core/errors.js';
import { readPaths } from '../intake/reader.js';
import type { EnqueueCounts } from '../queue/enqueue.js';
import { openRuntime, redisHelp, type Runtime } from '../queue/runtime.js';
import { queueSettings } from '../queue/settings.js';
import { parseArgs } from './args.js';
import type { Command, CommandIO } from './io.js';

/**
 * `picket replay <files|dirs>`: every finding and event read goes on the
 * queue (a CloudTrail log file as one batch job), every rejected item into
 * the dead-letter store; the worker does the rest.
 */
export const replayCommand: Command = async (args, io) => {
  const paths = parseArgs(args).positionals;
  if (paths.length === 0) {
    io.err('usage: picket replay <files|dirs>');
    return 2;
  }
  for (const path of paths) {
    if (!(await stat(path).catch(() => undefined))) {
      io.err(`picket replay: cannot read ${path}`);
      return 2;
    }
  }
  const runtime = await open(io);
  if (!runtime) return 1;
  try {
    const total = await replayPaths(runtime, paths);
    io.out(formatCounts(total));
    io.out(`queued under Redis prefix '${runtime.settings.prefix}': \`picket worker\` (or \`picket serve\`) with the same PICKET_QUEUE_PREFIX processes them`);
    return 0;
  } catch (err) {
    io.err(`picket replay: ${errorMessage(err)}`);
    return 1;
  } finally {
    await runtime.close();
  }
};

export async function replayPaths(runtime: Runtime, paths: string[]): Promise<EnqueueCounts> {
  const total = emptyCounts();
  for (const { file, items } of await readPaths(paths)) {
    // Rejections are kept with the input they came from; read it again only when there are some.
    const needsRaw = items.some((i) => i.status === 'rejected');
    const raw = needsRaw ? await readFile(file).catch(() => undefined) : undefined;
    addCounts(total, await runtime.enqueuer.enqueue(items, { raw }));
  }
  return total;
}

async function open(io: CommandIO): Promise<Runtime | undefined> {
  const settings = queueSettings();
  try {
    return await openRuntime({ settings, log: createLogger({ base: { component: 'replay' } }) });
  } catch {
    for (const line of redisHelp(settings.redisUrl)) io.err(line);
    return undefined;
  }
}

export function emptyCounts(): EnqueueCounts {
  return { read: 0, enqueued: 0, duplicate: 0, ignored: 0, rejected: 0, jobs: 0 };
}

export function addCounts(into: EnqueueCounts, add: EnqueueCounts): void {
  for (const key of Object.keys(into) as Array<keyof EnqueueCounts>) into[key] += add[key];
}

export function formatCounts(c: EnqueueCounts): string {
  return `read ${c.read}, enqueued ${c.enqueued} (${c.jobs} jobs), duplicate ${c.duplicate}, ignored ${c.ignored}, rejected ${c.rejected}`;
}
