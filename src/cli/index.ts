import { UsageError } from './args.js';
import { processIO, type Command, type CommandIO } from './io.js';

/**
 * `picket <command>`: each command lives in its own module, loaded only when
 * asked for, so `picket triage` never pulls in Bolt or BullMQ.
 */
const COMMANDS: Record<string, { usage: string; about: string; load: () => Promise<Command> }> = {
  triage: {
    usage: 'triage [--json] [--config FILE] <files|dirs>',
    about: 'offline: read, normalize, detect, build cards',
    load: async () => (await import('./triage.js')).triageCommand,
  },
  replay: {
    usage: 'replay <files|dirs>',
    about: 'enqueue every finding and event read',
    load: async () => (await import('./replay.js')).replayCommand,
  },
  demo: {
    usage: 'demo [--out DIR] [dir]',
    about: 'local mode end to end on the bundled examples',
    load: async () => (await import('./demo.js')).demoCommand,
  },
  serve: {
    usage: 'serve [--config FILE]',
    about: 'Slack app, HTTPS intake, worker and pollers',
    load: async () => (await import('./serve.js')).serveCommand,
  },
  worker: {
    usage: 'worker [--config FILE]',
    about: 'process queued jobs only',
    load: async () => (await import('./worker.js')).workerCommand,
  },
  dlq: {
    usage: 'dlq list|show <id>|replay <id…|--all>|purge <id…|--all>',
    about: 'the dead-letter store',
    load: async () => (await import('./dlq.js')).dlqCommand,
  },
  poll: {
    usage: 'poll [--once] [--config FILE]',
    about: 'GuardDuty ListFindings/GetFindings poller',
    load: async () => (await import('./poll.js')).pollCommand,
  },
  hunt: {
    usage: 'hunt list|test|run <id> <files|dirs>',
    about: 'threat hunts over CloudTrail (run is offline)',
    load: async () => (await import('./hunt.js')).huntCommand,
  },
  rules: {
    usage: 'rules test [dir…] | list [--json] [--source S] [--route R] [--opt-in] | check <dir> [--event FILE]',
    about: 'detection rules tooling',
    load: async () => (await import('./rules.js')).rulesCommand,
  },
};

export async function main(argv: string[], io: CommandIO = processIO): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    usage(io.out);
    return name ? 0 : 2;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    io.err(`picket: unknown command '${name}'`);
    usage(io.err);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.out(`usage: picket ${entry.usage}`);
    io.out(`  ${entry.about}`);
    return 0;
  }
  try {
    const command = await entry.load();
    return await command(args, io);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`picket ${name}: ${err.message}`);
    io.err(`usage: picket ${entry.usage}`);
    return 2;
  }
}

function usage(write: (line: string) => void): void {
  write('usage: picket <command> [options]   (picket <command> --help for one)');
  write('');
  for (const { usage, about } of Object.values(COMMANDS)) write(`  ${usage}\n      ${about}`);
}
