/**
 * The process behind a runtime finding. The command line is the most hostile
 * field a card shows (attackers write it), so it sits in a code block,
 * escaped and cut to a fixed budget.
 */
import type { ProcessInfo } from '../../src/model/signal.js';
import { code, codeBlock } from '../escape.js';
import { finiteNumber } from '../values.js';

export function processText(p: ProcessInfo | undefined): string | undefined {
  if (p === undefined || p === null || typeof p !== 'object') return undefined;
  const pid = finiteNumber(p.pid);
  const head = [
    code(p.name, 120),
    pid === undefined ? undefined : `pid \`${Math.trunc(pid)}\``,
    code(p.user, 80) === undefined ? undefined : `user ${code(p.user, 80)}`,
  ].filter((x): x is string => x !== undefined);

  const path = code(p.executablePath, 300);
  const command = codeBlock(p.commandLine, 1200);
  const lines = [
    head.length === 0 ? undefined : `*Process*  ${head.join(' · ')}`,
    path === undefined ? undefined : `*Path*  ${path}`,
    command === undefined ? undefined : `*Command line*\n${command}`,
  ].filter((l): l is string => l !== undefined);
  return lines.length === 0 ? undefined : lines.join('\n');
}
