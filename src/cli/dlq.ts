import { createLogger } from '../core/log.js';
import { errorMessage } from '../core/errors.js';
import { readInput } from '../intake/reader.js';
import { rawForReplay, type DeadLetter } from '../queue/dead-letter.js';
import { openRuntime, redisHelp, type Runtime } from '../queue/runtime.js';
import { queueSettings } from '../queue/settings.js';
import { parseArgs } from './args.js';
import type { Command, CommandIO } from './io.js';

/**
 * `picket dlq list | show <id> | replay <id…>|--all | purge <id…>|--all`:
 * look at what Picket could not use, and once the cause is fixed, read it
 * again. Removing everything takes an explicit --all.
 */
export const dlqCommand: Command = async (args, io) => {
  const [verb, ...rest] = args;
  parseArgs(rest, ['limit'], ['all']);
  if (!verb || !['list', 'show', 'replay', 'purge'].includes(verb)) {
    if (verb) io.err(`picket dlq: unknown subcommand '${verb}'`);
    io.err('usage: picket dlq list [--limit N] | show <id> | replay <id…>|--all | purge <id…>|--all');
    return 2;
  }
  const settings = queueSettings();
  let runtime: Runtime;
  try {
    runtime = await openRuntime({ settings, log: createLogger({ base: { component: 'dlq' }, level: 'error' }) });
  } catch {
    for (const line of redisHelp(settings.redisUrl)) io.err(line);
    return 1;
  }
  try {
    return await VERBS[verb as keyof typeof VERBS](runtime, rest, io);
  } catch (err) {
    io.err(`picket dlq ${verb}: ${errorMessage(err)}`);
    return 1;
  } finally {
    await runtime.close();
  }
};

type Verb = (runtime: Runtime, args: string[], io: CommandIO) => Promise<number>;

const VERBS: Record<'list' | 'show' | 'replay' | 'purge', Verb> = {
  list: async (runtime, args, io) => {
    const limitAt = args.indexOf('--limit');
    const limit = limitAt >= 0 ? Number(args[limitAt + 1]) : 100;
    if (!Number.isInteger(limit) || limit < 1) {
      io.err('picket dlq list: --limit takes a whole number above 0');
      return 2;
    }
    const entries = await runtime.deadLetters.list(limit);
    for (const e of entries) {
      const where = e.index === undefined ? e.source : `${e.source}#${e.index}`;
      io.out(`${e.id}  ${e.at}  ${e.stage.padEnd(6)}  ${where}  ${e.reason}${e.truncated ? '  [raw truncated]' : ''}`);
    }
    io.out(`${entries.length} of ${await runtime.deadLetters.count()} dead letters`);
    return 0;
  },
  show: async (runtime, args, io) => {
    if (!args[0]) {
      io.err('usage: picket dlq show <id>');
      return 2;
    }
    const entry = await runtime.deadLetters.get(args[0]);
    if (!entry) {
      io.err(`no dead letter ${args[0]}`);
      return 1;
    }
    io.out(JSON.stringify(entry, null, 2));
    return 0;
  },
  replay: async (runtime, args, io) => {
    const ids = args.includes('--all') ? (await runtime.deadLetters.list(Number.MAX_SAFE_INTEGER)).map((e) => e.id) : args;
    if (ids.length === 0) {
      io.err('usage: picket dlq replay <id…>|--all');
      return 2;
    }
    let failed = 0;
    for (const id of ids) failed += (await replayOne(runtime, id, io)) ? 0 : 1;
    return failed === 0 ? 0 : 1;
  },
  purge: async (runtime, args, io) => {
    if (args.includes('--all')) {
      io.out(`purged ${await runtime.deadLetters.purge()} dead letters`);
      return 0;
    }
    if (args.length === 0) {
      io.err('usage: picket dlq purge <id…>|--all');
      return 2;
    }
    let missing = 0;
    for (const id of args) {
      if (await runtime.deadLetters.remove(id)) io.out(`${id}: purged`);
      else missing += report(io, id, 'not found') ? 0 : 1;
    }
    return missing === 0 ? 0 : 1;
  },
};

/**
 * Read the stored raw input again. The entry goes only when nothing in it is
 * still rejected, so a fix that did not work leaves the evidence in place.
 */
export async function replayOne(runtime: Runtime, id: string, io: CommandIO): Promise<boolean> {
  const entry = await runtime.deadLetters.get(id);
  if (!entry) return report(io, id, 'not found');
  if (entry.truncated) return report(io, id, `raw input was truncated at store time (${entry.rawBytes} bytes): cannot replay`);

  const items = readInput(rawForReplay(entry), sourceOf(entry));
  const counts = await runtime.enqueuer.enqueue(items, { deadLetter: false, rerun: true });
  const still = items.find((i) => i.status === 'rejected');
  if (still && still.status === 'rejected') return report(io, id, `still rejected: ${still.reason}`);

  await runtime.deadLetters.remove(id);
  io.out(`${id}: replayed: enqueued ${counts.enqueued}, duplicate ${counts.duplicate}, ignored ${counts.ignored}`);
  return true;
}

function sourceOf(entry: DeadLetter): string {
  return entry.source.startsWith('dlq:') ? entry.source : `dlq:${entry.source}`;
}

function report(io: CommandIO, id: string, message: string): false {
  io.err(`${id}: ${message}`);
  return false;
}
