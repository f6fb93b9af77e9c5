/**
 * Measures the offline geo/ASN tables: `npx tsx test/enrich/measure-geo.ts`.
 * Prints load time, heap and RSS growth, and lookups per second.
 */
import { AsnTable } from '../../src/geo/asn.js';
import { OfflineGeo } from '../../src/geo/lookup.js';
import { CityDb } from '../../src/geo/city.js';

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function sample(n: number): string[] {
  const out: string[] = [];
  let x = 2463534242;
  for (let i = 0; i < n; i += 1) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out.push([x >>> 24, (x >>> 16) & 255, (x >>> 8) & 255, x & 255].join('.'));
  }
  return out;
}

global.gc?.();
const before = process.memoryUsage();
const asn = new AsnTable();
const city = new CityDb();
let t = performance.now();
const rows = asn.preload();
const asnMs = performance.now() - t;
t = performance.now();
city.preload();
const cityMs = performance.now() - t;
global.gc?.();
const after = process.memoryUsage();

const geo = new OfflineGeo(asn, city);
const ips = sample(200_000);
t = performance.now();
let found = 0;
for (const ip of ips) if (geo.lookup(ip)?.asn !== undefined) found += 1;
const perSec = ips.length / ((performance.now() - t) / 1000);
t = performance.now();
for (const ip of ips) asn.lookup(ip);
const asnPerSec = ips.length / ((performance.now() - t) / 1000);

process.stdout.write(
  JSON.stringify({
    asnRows: rows,
    asnLoadMs: Math.round(asnMs),
    cityOpenMs: Math.round(cityMs),
    heapGrowth: mb(after.heapUsed - before.heapUsed),
    externalGrowth: mb(after.external + after.arrayBuffers - before.external - before.arrayBuffers),
    rssGrowth: mb(after.rss - before.rss),
    lookupsPerSecond: Math.round(perSec),
    asnOnlyLookupsPerSecond: Math.round(asnPerSec),
    withAsn: found,
    example: geo.lookup('8.8.8.8'),
  }, null, 1) + '\n',
);
