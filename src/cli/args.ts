import { PicketError } from '../core/errors.js';

/** A command line that cannot mean what its author intended: the command prints it and exits 2. */
export class UsageError extends PicketError {
  constructor(message: string) {
    super('USAGE', message);
  }
}

/** A tiny flag parser: `--name value`, `--name=value`, `--flag`, and positionals. */
export interface ParsedArgs {
  flags: Map<string, string | true>;
  positionals: string[];
}

/**
 * `valued` flags take a value, `booleans` take none; anything else is a
 * UsageError, so a typo such as `--onse` never runs the command some other way.
 */
export function parseArgs(args: string[], valued: string[] = [], booleans: string[] = []): ParsedArgs {
  const flags = new Map<string, string | true>();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith('--') || arg === '--') {
      positionals.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (valued.includes(name)) flags.set(name, inline ?? valueAfter(args, i++, name));
    else if (booleans.includes(name) && inline === undefined) flags.set(name, true);
    else throw new UsageError(`unknown option --${name}`);
  }
  return { flags, positionals };
}

function valueAfter(args: string[], at: number, name: string): string {
  const value = args[at + 1];
  if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
  return value;
}

export function flagString(parsed: ParsedArgs, name: string): string | undefined {
  const value = parsed.flags.get(name);
  return typeof value === 'string' ? value : undefined;
}
