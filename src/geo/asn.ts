/**
 * The ASN table from `@ip-location-db/asn`: CSV ranges loaded on first use
 * into sorted typed arrays (IPv4) and bigint arrays (IPv6), searched by
 * bisection. Organisation names are interned so repeated owners cost once.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ipv4ToNumber, ipv6ToBigInt } from './ip.js';

export interface AsnInfo {
  asn: number;
  org: string;
}

interface V4Table {
  starts: Uint32Array;
  ends: Uint32Array;
  asns: Uint32Array;
  orgs: Uint32Array;
}

interface V6Table {
  starts: bigint[];
  ends: bigint[];
  asns: Uint32Array;
  orgs: Uint32Array;
}

export interface AsnTableFiles {
  v4: string;
  v6: string;
}

export function bundledAsnFiles(): AsnTableFiles {
  const require = createRequire(import.meta.url);
  const dir = require.resolve('@ip-location-db/asn/package.json').replace(/package\.json$/, '');
  return { v4: `${dir}asn-ipv4-num.csv`, v6: `${dir}asn-ipv6-num.csv` };
}

/** `start,end,asn,org` where org may be quoted and hold commas. */
function splitRow(line: string): [string, string, string, string] | undefined {
  const a = line.indexOf(',');
  const b = line.indexOf(',', a + 1);
  const c = line.indexOf(',', b + 1);
  if (a < 0 || b < 0 || c < 0) return undefined;
  let org = line.slice(c + 1).trimEnd();
  if (org.startsWith('"') && org.endsWith('"')) org = org.slice(1, -1).replace(/""/g, '"');
  return [line.slice(0, a), line.slice(a + 1, b), line.slice(b + 1, c), org];
}

export class AsnTable {
  private v4?: V4Table;
  private v6?: V6Table;
  private readonly orgNames: string[] = [];
  private readonly orgIndex = new Map<string, number>();

  constructor(private readonly files: AsnTableFiles = bundledAsnFiles()) {}

  lookup(ip: string): AsnInfo | undefined {
    const v4 = ipv4ToNumber(ip);
    if (v4 !== undefined) return this.find(this.loadV4(), v4);
    const v6 = ipv6ToBigInt(ip);
    return v6 === undefined ? undefined : this.find(this.loadV6(), v6);
  }

  /** Load both tables now, e.g. at start-up or to measure. */
  preload(): { v4Rows: number; v6Rows: number } {
    return { v4Rows: this.loadV4().asns.length, v6Rows: this.loadV6().asns.length };
  }

  private find<K extends number | bigint>(table: { starts: ArrayLike<K>; ends: ArrayLike<K>; asns: Uint32Array; orgs: Uint32Array }, value: K): AsnInfo | undefined {
    let lo = 0;
    let hi = table.asns.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const start = table.starts[mid] as K;
      if (start <= value) lo = mid + 1;
      else hi = mid - 1;
    }
    if (hi < 0 || value > (table.ends[hi] as K)) return undefined;
    return { asn: table.asns[hi] ?? 0, org: this.orgNames[table.orgs[hi] ?? 0] ?? '' };
  }

  private intern(org: string): number {
    const known = this.orgIndex.get(org);
    if (known !== undefined) return known;
    // A slice of the file text would keep the whole ~20 MB file alive; keep a flat copy instead.
    const flat = Buffer.from(org, 'utf8').toString('utf8');
    this.orgNames.push(flat);
    this.orgIndex.set(flat, this.orgNames.length - 1);
    return this.orgNames.length - 1;
  }

  private loadV4(): V4Table {
    if (this.v4) return this.v4;
    const rows = this.rows(this.files.v4);
    const table: V4Table = { starts: new Uint32Array(rows.length), ends: new Uint32Array(rows.length), asns: new Uint32Array(rows.length), orgs: new Uint32Array(rows.length) };
    rows.forEach(([start, end, asn, org], i) => {
      table.starts[i] = Number(start);
      table.ends[i] = Number(end);
      table.asns[i] = Number(asn);
      table.orgs[i] = this.intern(org);
    });
    this.v4 = table;
    return table;
  }

  private loadV6(): V6Table {
    if (this.v6) return this.v6;
    const rows = this.rows(this.files.v6);
    const table: V6Table = { starts: [], ends: [], asns: new Uint32Array(rows.length), orgs: new Uint32Array(rows.length) };
    rows.forEach(([start, end, asn, org], i) => {
      table.starts.push(BigInt(start));
      table.ends.push(BigInt(end));
      table.asns[i] = Number(asn);
      table.orgs[i] = this.intern(org);
    });
    this.v6 = table;
    return table;
  }

  /** Rows sorted by start; the files are already sorted, the sort only guards a hand-made file. */
  private rows(file: string): [string, string, string, string][] {
    const out: [string, string, string, string][] = [];
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const row = line.length > 0 ? splitRow(line) : undefined;
      if (row && /^\d+$/.test(row[0])) out.push(row);
    }
    return out;
  }
}
