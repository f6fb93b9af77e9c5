import { processIO, type Command, type CommandIO } from './io.js';

/**
 * `picket <command>`: each command lives in its own module, loaded only when
 * asked for, so `picket triage` never pulls in Bolt or BullMQ.
 */
const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  triage: {
    summary: 'triage [--json] <files|dirs>   offline: read, normalize, detect, build cards',
    load: async () => (await import('./triage.js')).triageCommand,
  },
  replay: {
    summary: 'replay <files|dirs>            enqueue every finding and event read',
    load: async () => (await import('./replay.js')).replayCommand,
  },
  demo: {
    summary: 'demo                           local mode end to end on the bundled examples',
    load: async () => (await import('./demo.js')).demoCommand,
  },
  serve: {
    summary: 'serve                          Slack app, HTTPS intake, worker and pollers',
    load: async () => (await import('./serve.js')).serveCommand,
  },
  worker: {
    summary: 'worker                         process queued jobs only',
    load: async () => (await import('./worker.js')).workerCommand,
  },
  dlq: {
    summary: 'dlq list|replay|purge [id]     the dead-letter store',
    load: async () => (await import('./dlq.js')).dlqCommand,
  },
  poll: {
    summary: 'poll [--once]                  GuardDuty ListFindings/GetFindings poller',
    load: async () => (await import('./poll.js')).pollCommand,
  },
  hunt: {
    summary: 'hunt list|test|run              threat hunts over CloudTrail (run is offline)',
    load: async () => (await import('./hunt.js')).huntCommand,
  },
  rules: {
    summary: 'rules test|list|check          detection rules tooling',
    load: async () => (await import('./rules.js')).rulesCommand,
  },
};

export async function main(argv: string[], io: CommandIO = processIO): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    usage(io.out);
    return name ? 0 : 2;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    io.err(`picket: unknown command '${name}'`);
    usage(io.err);
    return 2;
  }
  const command = await entry.load();
  return command(args, io);
}

function usage(write: (line: string) => void): void {
  write('usage: picket <command> [options]');
  for (const { summary } of Object.values(COMMANDS)) write(`  ${summary}`);
}
