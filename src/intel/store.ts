/**
 * First-party intel: the lists a team keeps (incident IOCs, Tor exits, known
 * scanners, leaked key ids), loaded from files at start and reloadable. A
 * failed reload keeps the previous lists so a typo never blinds Picket.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError, errorMessage } from '../core/errors.js';
import { cidrContains, parseCidr, type Cidr } from '../geo/ip.js';
import { IntelFileSchema, type IntelEntryInput, type IntelFile } from './schema.js';

export type IntelType = 'ip' | 'cidr' | 'domain' | 'asn' | 'access-key';
export type Verdict = 'bad' | 'suspicious' | 'info';

export interface IntelEntry {
  type: IntelType;
  value: string;
  label: string;
  source: string;
  verdict: Verdict;
}

interface Lists {
  exact: Map<string, IntelEntry[]>;
  cidrs: { cidr: Cidr; entry: IntelEntry }[];
  count: number;
}

const ACCESS_KEY = /^(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{12,}$/;

export function inferType(value: string): IntelType | undefined {
  if (ACCESS_KEY.test(value)) return 'access-key';
  if (/^AS\d+$/i.test(value)) return 'asn';
  if (value.includes('/')) return parseCidr(value) ? 'cidr' : undefined;
  if (parseCidr(value)) return 'ip';
  if (/^(?=.{1,253}$)([a-z0-9_-]+\.)+[a-z]{2,63}\.?$/i.test(value)) return 'domain';
  return undefined;
}

function keyOf(type: IntelType, value: string): string {
  const v = type === 'asn' ? value.toUpperCase().replace(/^AS/, '') : type === 'access-key' ? value : value.toLowerCase().replace(/\.$/, '');
  return `${type}:${v}`;
}

export class IntelStore {
  private lists: Lists = { exact: new Map(), cidrs: [], count: 0 };
  private readonly paths: string[];

  constructor(paths: string[] = []) {
    this.paths = paths;
  }

  /** Read every file now; throws ConfigError naming the file and entry on bad input. */
  load(): number {
    const next: Lists = { exact: new Map(), cidrs: [], count: 0 };
    for (const file of expand(this.paths)) for (const entry of readIntelFile(file)) add(next, entry);
    this.lists = next;
    return next.count;
  }

  /** Reload; on failure the previous lists stay and the error is returned. */
  reload(): { ok: true; count: number } | { ok: false; error: string } {
    try {
      return { ok: true, count: this.load() };
    } catch (err) {
      return { ok: false, error: errorMessage(err) };
    }
  }

  get size(): number {
    return this.lists.count;
  }

  matchIp(ip: string): IntelEntry[] {
    const exact = this.lists.exact.get(keyOf('ip', ip)) ?? [];
    const ranges = this.lists.cidrs.filter((c) => cidrContains(c.cidr, ip)).map((c) => c.entry);
    return [...exact, ...ranges];
  }

  /** A listed domain matches itself and every subdomain. */
  matchDomain(domain: string): IntelEntry[] {
    const labels = domain.toLowerCase().replace(/\.$/, '').split('.');
    const hits: IntelEntry[] = [];
    for (let i = 0; i < labels.length - 1; i += 1) hits.push(...(this.lists.exact.get(keyOf('domain', labels.slice(i).join('.'))) ?? []));
    return hits;
  }

  matchAsn(asn: number | string): IntelEntry[] {
    return this.lists.exact.get(keyOf('asn', String(asn))) ?? [];
  }

  matchAccessKey(id: string): IntelEntry[] {
    return this.lists.exact.get(keyOf('access-key', id)) ?? [];
  }
}

function add(lists: Lists, entry: IntelEntry): void {
  lists.count += 1;
  if (entry.type === 'cidr') {
    const cidr = parseCidr(entry.value);
    if (cidr) lists.cidrs.push({ cidr, entry });
    return;
  }
  const key = keyOf(entry.type, entry.value);
  lists.exact.set(key, [...(lists.exact.get(key) ?? []), entry]);
}

function expand(paths: string[]): string[] {
  return paths.flatMap((p) => {
    if (!statSync(p).isDirectory()) return [p];
    return readdirSync(p)
      .filter((name) => /\.(ya?ml|json|txt|list)$/i.test(name))
      .sort()
      .map((name) => join(p, name));
  });
}

export function readIntelFile(file: string): IntelEntry[] {
  const text = readFileSync(file, 'utf8');
  const ext = extname(file).toLowerCase();
  const parsed = ext === '.txt' || ext === '.list' ? fromLines(text, basename(file, ext)) : fromDocument(file, text);
  return parsed.entries.map((input, i) => toEntry(file, i, input, parsed));
}

function fromDocument(file: string, text: string): IntelFile {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new ConfigError(file, '', `valid YAML or JSON (${errorMessage(err)})`);
  }
  const result = IntelFileSchema.safeParse(doc);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new ConfigError(file, issue?.path.join('.') ?? '', issue?.message ?? 'an intel file');
}

function fromLines(text: string, name: string): IntelFile {
  const header = (key: string) => new RegExp(`^#\\s*${key}:\\s*(.+)$`, 'im').exec(text)?.[1]?.trim();
  const verdict = header('verdict');
  const entries = text
    .split('\n')
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter((l) => l !== '');
  return {
    source: header('source') ?? name,
    label: header('label') ?? name,
    verdict: verdict === 'bad' || verdict === 'suspicious' || verdict === 'info' ? verdict : undefined,
    entries,
  };
}

function toEntry(file: string, index: number, input: IntelEntryInput, defaults: IntelFile): IntelEntry {
  const item = typeof input === 'string' ? { value: input.trim() } : { ...input, value: input.value.trim() };
  const type = ('type' in item ? item.type : undefined) ?? inferType(item.value);
  if (!type) throw new ConfigError(file, `entries[${index}]`, `an IP, CIDR, domain, ASN (AS123) or access key id, got "${item.value.slice(0, 80)}"`);
  return {
    type,
    value: item.value,
    label: ('label' in item ? item.label : undefined) ?? defaults.label ?? defaults.source,
    source: defaults.source,
    verdict: ('verdict' in item ? item.verdict : undefined) ?? defaults.verdict ?? 'suspicious',
  };
}
