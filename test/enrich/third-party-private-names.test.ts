/**
 * Third-party intel never hears about internal names: private suffixes, single labels, malformed values
 * and names whose last label is no top-level domain stay home; so do private addresses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { thirdPartyProvider } from '../../src/enrich/providers/third-party.js';
import { runProvider } from '../../src/enrich/run.js';
import { thirdPartyFromEnv } from '../../src/intel/third-party/adapter.js';
import { domainKind, type NameKind } from '../../src/intel/third-party/shareable.js';
import { standInEnv, startIntelStandIns, type StandIns } from '../helpers/intel-stand-ins.js';
import { baseSignal, testDeps } from './support.js';

const NAMES: [string, NameKind][] = [
  ['evil-c2.com', 'public'],
  ['Evil-C2.COM.', 'public'],
  ['xn--80ak6aa92e.xn--p1ai', 'public'],
  ['exfil.example', 'public'],
  ['api.myapp.test', 'private'],
  ['x.invalid', 'private'],
  ['db01.corp', 'private'],
  ['ip-10-0-0-5.ec2.internal', 'private'],
  ['printer.local', 'private'],
  ['nas.lan', 'private'],
  ['router.home.arpa', 'private'],
  ['5.0.0.10.in-addr.arpa', 'private'],
  ['localhost', 'private'],
  ['fileserver', 'private'],
  ['..', 'malformed'],
  ['a..b.com', 'malformed'],
  ['.com', 'malformed'],
  ['10.0.0.5', 'malformed'],
  ['host.123', 'malformed'],
  ['-bad-.com', 'malformed'],
  ['under_score.com', 'malformed'],
  ['fe80::1', 'malformed'],
  ['', 'malformed'],
];

describe('domainKind', () => {
  it.each(NAMES)('%s is %s', (name, kind) => {
    expect(domainKind(name)).toBe(kind);
  });
});

describe('third-party provider and internal names', () => {
  let s: StandIns;
  beforeAll(async () => {
    s = await startIntelStandIns();
  });
  afterAll(async () => {
    await s.close();
  });

  it('sends only the public name, never internal ones or private addresses', async () => {
    const vt = thirdPartyFromEnv(standInEnv(s)).find((a) => a.name === 'virustotal');
    if (!vt) throw new Error('no virustotal adapter');
    const internalOnly = baseSignal({ remotes: [{ domain: 'db01.corp' }, { domain: 'fileserver' }, { domain: '..' }, { ip: '10.0.0.5' }] });
    expect(thirdPartyProvider(vt).appliesTo(internalOnly)).toBe(false);

    const mixed = baseSignal({ remotes: [{ domain: 'build.internal' }, { domain: 'nas.lan' }, { ip: '192.168.1.1' }, { domain: 'exfil.example' }] });
    await runProvider(thirdPartyProvider(vt), mixed, testDeps(), { deadline: 10_000, now: new Date('2024-05-01T12:00:00Z') });
    expect(s.requests.map((r) => r.path)).toEqual(['/virustotal/api/v3/domains/exfil.example']);
  });
});
