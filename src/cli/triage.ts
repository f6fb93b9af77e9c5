import { stat } from 'node:fs/promises';
import { resolveConfig } from '../config/resolve.js';
import { errorMessage } from '../core/errors.js';
import { defaultOfflineDeps, type OfflineDeps } from '../enrich/offline.js';
import { offlineEvidence } from '../enrich/run.js';
import { readPaths } from '../intake/reader.js';
import { createTriageContext, triageItem, type Triaged } from '../pipeline/triage.js';
import { flagString, parseArgs } from './args.js';
import type { Command, CommandIO } from './io.js';

/**
 * `picket triage [--json] [--config FILE] <files|dirs>`: the whole decision
 * path, offline. One line per item; exit 0 whenever the arguments could be
 * read, whatever the outcomes.
 */
export const triageCommand: Command = async (args, io) => {
  const parsed = parseArgs(args, ['config'], ['json']);
  if (parsed.positionals.length === 0) {
    io.err('usage: picket triage [--json] [--config FILE] <files|dirs>');
    return 2;
  }
  const missing = await unreadable(parsed.positionals);
  if (missing.length > 0) {
    io.err(`picket triage: cannot read ${missing.join(', ')}`);
    return 2;
  }

  let ctx;
  let offline: OfflineDeps;
  try {
    const resolved = resolveConfig(flagString(parsed, 'config'));
    ctx = await createTriageContext(resolved.config, undefined, resolved.file);
    offline = defaultOfflineDeps();
  } catch (err) {
    io.err(`picket triage: ${errorMessage(err)}`);
    return 2;
  }

  const json = parsed.flags.has('json');
  const counts = new Map<string, number>();
  for (const { items } of await readPaths(parsed.positionals)) {
    for (const item of items) {
      const result = triageItem(item, ctx);
      counts.set(result.outcome, (counts.get(result.outcome) ?? 0) + 1);
      io.out(json ? JSON.stringify(toJson(result, offline)) : toLine(result));
    }
  }
  if (!json) summary(counts, io);
  return 0;
};

async function unreadable(paths: string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const path of paths) if (!(await stat(path).catch(() => undefined))) missing.push(path);
  return missing;
}

/** The contract other checks rely on: keep these field names stable. */
export function toJson(result: Triaged, offline?: OfflineDeps) {
  const { signal, decision } = result;
  return {
    file: result.origin.file,
    index: result.origin.index,
    wrapper: result.origin.wrapper,
    source: signal?.source ?? null,
    id: signal?.id ?? null,
    type: signal?.type ?? null,
    accountId: signal?.accountId ?? null,
    region: signal?.region ?? null,
    tenant: result.tenantId ?? null,
    severity: decision?.severity ?? signal?.severity ?? 0,
    severityLabel: decision?.severityLabel ?? signal?.severityLabel ?? 'Informational',
    sample: signal?.sample ?? false,
    outcome: result.outcome,
    rules: decision?.hits.map((h) => h.ruleId) ?? [],
    dryRun: decision?.dryRun ?? [],
    reason: result.reason ?? null,
    channel: result.channel ?? null,
    cardKey: result.cardKey ?? null,
    card: result.card ?? null,
    evidence: signal && offline ? offlineEvidence(signal, offline).map(({ provider, field, value }) => ({ provider, field, value })) : [],
  };
}

function toLine(result: Triaged): string {
  const where = `${result.origin.file}#${result.origin.index}`;
  const what = result.signal ? `${result.signal.severityLabel.padEnd(8)} ${result.signal.type}` : '';
  const tail = result.channel ? `→ ${result.channel} (${result.decision?.hits.map((h) => h.ruleId).join(', ')})` : `(${result.reason ?? ''})`;
  return `${result.outcome.padEnd(10)} ${where} ${what} ${tail}`.replace(/\s+/g, ' ').trim();
}

function summary(counts: Map<string, number>, io: CommandIO): void {
  const parts = ['alert', 'duet', 'suppressed', 'ignored', 'rejected'].map((o) => `${counts.get(o) ?? 0} ${o}`);
  io.out(`-- ${parts.join(', ')}`);
}
