import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AsnTable } from '../../src/geo/asn.js';
import { cidrContains, ipv6ToBigInt, parseCidr } from '../../src/geo/ip.js';
import { OfflineGeo, geoText } from '../../src/geo/lookup.js';
import { specialKind } from '../../src/geo/special.js';
import { intelPaths, loadOfflineDeps } from '../../src/enrich/offline.js';
import { IntelStore } from '../../src/intel/store.js';

const dir = mkdtempSync(join(tmpdir(), 'picket-intel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('special ranges', () => {
  it.each([
    ['10.1.2.3', 'private'], ['172.31.0.9', 'private'], ['192.168.0.1', 'private'], ['127.0.0.1', 'loopback'],
    ['169.254.10.1', 'link-local'], ['169.254.169.254', 'aws-internal'], ['fd00:ec2::254', 'aws-internal'],
    ['100.64.1.1', 'cgnat'], ['192.0.2.1', 'documentation'], ['198.51.100.7', 'documentation'], ['203.0.113.9', 'documentation'],
    ['2001:db8::1', 'documentation'], ['::1', 'loopback'], ['fe80::1', 'link-local'], ['fd12::1', 'private'],
    ['::ffff:10.0.0.1', 'private'], ['AWS Internal', 'aws-internal'], ['ec2.amazonaws.com', 'aws-internal'],
  ])('%s is %s', (ip, kind) => {
    expect(specialKind(ip)).toBe(kind);
  });

  it('leaves public addresses alone', () => {
    expect([specialKind('8.8.8.8'), specialKind('2606:4700::1111'), specialKind('100.128.0.1')]).toEqual([undefined, undefined, undefined]);
  });
});

describe('ip helpers', () => {
  it('parses IPv6 with :: and embedded IPv4, and tests CIDR membership', () => {
    expect(ipv6ToBigInt('::ffff:1.2.3.4')).toBe(0xffff01020304n);
    expect(ipv6ToBigInt('2001:db8::1')).toBe(0x20010db8000000000000000000000001n);
    const cidr = parseCidr('198.51.100.0/25');
    expect(cidr && [cidrContains(cidr, '198.51.100.127'), cidrContains(cidr, '198.51.100.128'), cidrContains(cidr, '2001:db8::1')]).toEqual([true, false, false]);
    expect(parseCidr('1.2.3.4/33')).toBeUndefined();
  });
});

describe('AsnTable', () => {
  const fixture = new URL('../fixtures/enrich/asn/', import.meta.url).pathname;
  const table = new AsnTable({ v4: `${fixture}v4.csv`, v6: `${fixture}v6.csv` });

  it('bisects ranges, including quoted organisation names', () => {
    expect(table.lookup('1.0.0.7')).toEqual({ asn: 13335, org: 'Cloudflare, Inc.' });
    expect(table.lookup('8.8.8.8')).toEqual({ asn: 15169, org: 'Google LLC' });
    expect(table.lookup('203.0.113.5')).toEqual({ asn: 64511, org: 'Example "Quoted" Hosting' });
    expect(table.lookup('8.8.9.1')).toBeUndefined();
    expect(table.lookup('0.0.0.1')).toBeUndefined();
    expect(table.lookup('2001:4860:4860::8888')).toEqual({ asn: 15169, org: 'Google LLC' });
  });

  it('answers from the bundled database too', () => {
    const geo = new OfflineGeo();
    const info = geo.lookup('8.8.8.8');
    expect([info?.country, info?.asn]).toEqual(['US', 15169]);
    expect(geo.lookup('10.0.0.1')).toEqual({ ip: '10.0.0.1', special: 'private' });
    expect(geoText({ ip: '10.0.0.1', special: 'private' })).toBe('private address');
    expect(geo.lookup('not an ip')).toBeUndefined();
  });
});

describe('IntelStore', () => {
  it('loads YAML and line files, matches IPs, CIDRs, subdomains, ASNs and key ids', () => {
    writeFileSync(join(dir, 'a.yml'), 'source: team\nlabel: watched\nentries:\n  - 192.0.2.10\n  - { value: 2001:db8:1::/48, verdict: bad, label: v6 range }\n  - evil.example\n  - AS64500\n  - AKIAEXAMPLEKEY000001\n');
    writeFileSync(join(dir, 'tor.txt'), '# label: Tor exit node\n# source: tor-list\n# verdict: bad\n192.0.2.77\n\n192.0.2.78 # trailing comment\n');
    const store = new IntelStore([dir]);
    expect(store.load()).toBe(7);
    expect(store.matchIp('192.0.2.77')).toEqual([{ type: 'ip', value: '192.0.2.77', label: 'Tor exit node', source: 'tor-list', verdict: 'bad' }]);
    expect(store.matchIp('2001:db8:1::99').map((e) => e.label)).toEqual(['v6 range']);
    expect(store.matchDomain('a.b.EVIL.example').map((e) => e.value)).toEqual(['evil.example']);
    expect(store.matchDomain('notevil.example')).toEqual([]);
    expect(store.matchAsn(64500).map((e) => e.source)).toEqual(['team']);
    expect(store.matchAccessKey('AKIAEXAMPLEKEY000001').map((e) => e.verdict)).toEqual(['suspicious']);
  });

  it('names the file and entry on a bad value, and a failed reload keeps the old lists', () => {
    const file = join(dir, 'reload.yml');
    writeFileSync(file, 'source: s\nentries:\n  - 192.0.2.1\n');
    const store = new IntelStore([file]);
    store.load();
    writeFileSync(file, 'source: s\nentries:\n  - 192.0.2.1\n  - not a thing\n');
    expect(store.reload()).toEqual({ ok: false, error: `${file}: entries[1]: an IP, CIDR, domain, ASN (AS123) or access key id, got "not a thing"` });
    expect(store.matchIp('192.0.2.1')).toHaveLength(1);
    writeFileSync(file, 'source: s\nentries:\n  - 192.0.2.2\n');
    expect(store.reload()).toEqual({ ok: true, count: 1 });
    expect([store.matchIp('192.0.2.1').length, store.matchIp('192.0.2.2').length]).toEqual([0, 1]);
  });

  it('rejects a file without a source', () => {
    const file = join(dir, 'nosource.yml');
    writeFileSync(file, 'entries: []\n');
    expect(() => new IntelStore([file]).load()).toThrow(`${file}: source:`);
  });
});

describe('offline deps', () => {
  it('use PICKET_INTEL_PATHS when set, else the bundled example intel', () => {
    expect(intelPaths({ PICKET_INTEL_PATHS: '/a:/b' })).toEqual(['/a', '/b']);
    const bundled = loadOfflineDeps({});
    expect(bundled.intel.matchIp('203.0.113.250').map((e) => e.verdict)).toEqual(['bad']);
    expect(bundled.intel.matchIp('192.0.2.250').map((e) => e.label)).toEqual(['Tor exit node']);
  });
});
