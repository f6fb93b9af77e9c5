/**
 * The GuardDuty finding-type catalogue: how a finding that no rule matched is
 * routed, and which severity band it gets when the finding's own is unusable.
 * The data lives in rules/guardduty/finding-types.yml; this module validates it
 * at load time and answers look-ups.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { ConfigError, errorMessage } from '../core/errors.js';
import type { Route } from '../model/decision.js';
import type { SeverityLabel } from '../model/signal.js';

export interface CatalogueEntry {
  type: string;
  route: Route;
  level: SeverityLabel | 'variable';
  fallbackLevel: SeverityLabel;
  tactic: string;
  status: 'active' | 'retired';
  why?: string;
  /** True for a family default keyed by prefix (e.g. 'Policy:S3/'), not a real type. */
  family?: boolean;
}

export interface Catalogue {
  entries: Map<string, CatalogueEntry>;
  /** Exact type first, then the longest family prefix, else undefined (the caller sends it to the SOC). */
  lookup(type: string): CatalogueEntry | undefined;
}

export const DEFAULT_CATALOGUE_FILE = fileURLToPath(
  new URL('../../rules/guardduty/finding-types.yml', import.meta.url),
);

/** The ATT&CK Enterprise tactics, in the kebab-case their URLs use. */
export const ATTACK_TACTICS = [
  'reconnaissance',
  'resource-development',
  'initial-access',
  'execution',
  'persistence',
  'privilege-escalation',
  'defense-evasion',
  'credential-access',
  'discovery',
  'lateral-movement',
  'collection',
  'command-and-control',
  'exfiltration',
  'impact',
] as const;

const BANDS = ['Low', 'Medium', 'High', 'Critical'] as const;

const entrySchema = z
  .object({
    route: z.enum(['soc', 'duet', 'suppress']),
    level: z.enum([...BANDS, 'variable']),
    fallback: z.enum(BANDS).optional(),
    tactic: z.enum(ATTACK_TACTICS),
    status: z.enum(['active', 'retired']),
    why: z.string().trim().min(1).optional(),
  })
  .strict()
  .superRefine((entry, ctx) => {
    if (entry.level === 'variable' && !entry.fallback) {
      ctx.addIssue({ code: 'custom', path: ['fallback'], message: 'required when level is variable' });
    }
    if (entry.level !== 'variable' && entry.fallback) {
      ctx.addIssue({ code: 'custom', path: ['fallback'], message: 'only allowed when level is variable' });
    }
    if (entry.route !== 'soc' && !entry.why) {
      ctx.addIssue({ code: 'custom', path: ['why'], message: `required when route is ${entry.route}` });
    }
  });

const fileSchema = z
  .object({
    version: z.literal(1),
    families: z.record(z.string().regex(/^[A-Za-z0-9]+:([A-Za-z0-9]+\/)?$/), entrySchema),
    types: z.record(z.string().regex(/^[A-Za-z0-9]+:[A-Za-z0-9]+\/\S+$/), entrySchema),
  })
  .strict();

type RawEntry = z.infer<typeof entrySchema>;

export function loadCatalogue(file: string = DEFAULT_CATALOGUE_FILE): Catalogue {
  const parsed = fileSchema.safeParse(readYaml(file));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(file, formatPath(issue?.path ?? []), issue?.message ?? 'invalid catalogue');
  }

  const entries = new Map<string, CatalogueEntry>();
  for (const [type, raw] of Object.entries(parsed.data.types)) entries.set(type, toEntry(type, raw, false));
  for (const [prefix, raw] of Object.entries(parsed.data.families)) {
    entries.set(prefix, toEntry(prefix, raw, true));
  }
  return { entries, lookup: (type) => lookup(entries, type) };
}

function readYaml(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err: unknown) {
    throw new ConfigError(file, '', `cannot be read (${errorMessage(err)})`);
  }
  try {
    return parse(text);
  } catch (err: unknown) {
    throw new ConfigError(file, '', `is not valid YAML (${errorMessage(err)})`);
  }
}

function toEntry(type: string, raw: RawEntry, family: boolean): CatalogueEntry {
  const entry: CatalogueEntry = {
    type,
    route: raw.route,
    level: raw.level,
    // The schema guarantees a fallback whenever the level is variable.
    fallbackLevel: raw.level === 'variable' ? (raw.fallback ?? 'High') : raw.level,
    tactic: raw.tactic,
    status: raw.status,
  };
  if (raw.why) entry.why = raw.why;
  if (family) entry.family = true;
  return entry;
}

function lookup(entries: Map<string, CatalogueEntry>, type: string): CatalogueEntry | undefined {
  const exact = entries.get(type);
  if (exact && !exact.family) return exact;

  let best: CatalogueEntry | undefined;
  for (const entry of entries.values()) {
    if (!entry.family || !type.startsWith(entry.type)) continue;
    if (!best || entry.type.length > best.type.length) best = entry;
  }
  return best;
}

/** `types["Policy:S3/X"].why` reads better in an error than `types.Policy:S3/X.why`. */
function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(String(key))) out += out ? `.${String(key)}` : String(key);
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}
