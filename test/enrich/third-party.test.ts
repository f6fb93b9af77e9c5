import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { thirdPartyFromEnv } from '../../src/intel/third-party/adapter.js';
import { thirdPartyProvider } from '../../src/enrich/providers/third-party.js';
import { runProvider } from '../../src/enrich/run.js';
import { BAD_DOMAIN, BAD_IP, NOISY_IP, standInEnv, startIntelStandIns, type StandIns } from '../helpers/intel-stand-ins.js';
import { openTestRedis, type TestRedis } from '../helpers/redis.js';
import { baseSignal, testDeps } from './support.js';

let s: StandIns;
let tr: TestRedis;
const opts = { deadline: 10_000, now: new Date('2024-05-01T12:00:00Z') };

beforeAll(async () => {
  s = await startIntelStandIns();
  tr = await openTestRedis('enrich-ti');
});
afterAll(async () => {
  await s.close();
  await tr.cleanup();
});
afterEach(() => {
  s.requests.length = 0;
  s.failWith.clear();
  s.delayMs.clear();
});

/** The stand-ins' indicators are documentation addresses, which production never sends. */
function provider(a: ReturnType<typeof adapter>) {
  return thirdPartyProvider(a, { sendDocumentationRanges: true });
}

function adapter(name: string) {
  const found = thirdPartyFromEnv(standInEnv(s)).find((a) => a.name === name);
  if (!found) throw new Error(`no adapter ${name}`);
  return found;
}

const signal = baseSignal({ remotes: [{ ip: BAD_IP }, { ip: NOISY_IP }, { ip: '10.0.0.5' }, { domain: BAD_DOMAIN }] });

describe('third-party adapters', () => {
  it('are enabled only by their API key', () => {
    expect(thirdPartyFromEnv({}).map((a) => a.name)).toEqual([]);
    expect(thirdPartyFromEnv({ OTX_API_KEY: 'k' }).map((a) => a.name)).toEqual(['otx']);
    expect(thirdPartyFromEnv(standInEnv(s)).map((a) => a.name)).toEqual(['abuseipdb', 'greynoise', 'virustotal', 'otx']);
  });

  it('AbuseIPDB: confidence, Tor and usage, with the Key header', async () => {
    const result = await runProvider(provider(adapter('abuseipdb')), signal, testDeps(), opts);
    expect(result.evidence).toEqual([
      { provider: 'abuseipdb', field: `${BAD_IP} abuse confidence`, value: '100% (412 reports, last 2024-05-01T09:12:44+00:00)', verdict: 'bad' },
      { provider: 'abuseipdb', field: `${BAD_IP} Tor`, value: 'Tor exit node', verdict: 'bad' },
      { provider: 'abuseipdb', field: `${BAD_IP} usage`, value: 'Data Center/Web Hosting/Transit', verdict: 'info' },
      { provider: 'abuseipdb', field: `${NOISY_IP} abuse confidence`, value: '0% (0 reports)', verdict: 'info' },
    ]);
    expect(s.requests.map((r) => [r.path, r.headers.key])).toEqual([
      [`/abuseipdb/api/v2/check?ipAddress=${BAD_IP}&maxAgeInDays=90`, 'test-abuse-key'],
      [`/abuseipdb/api/v2/check?ipAddress=${NOISY_IP}&maxAgeInDays=90`, 'test-abuse-key'],
    ]);
  });

  it('GreyNoise: a 404 means not observed, a malicious scanner stands out', async () => {
    const result = await runProvider(provider(adapter('greynoise')), signal, testDeps(), opts);
    expect(result.evidence).toEqual([
      { provider: 'greynoise', field: `${BAD_IP} classification`, value: 'not observed scanning', verdict: 'info' },
      { provider: 'greynoise', field: `${NOISY_IP} classification`, value: 'internet scanner, malicious, last seen 2024-05-01', verdict: 'bad' },
    ]);
    expect(s.requests.map((r) => [r.path, r.headers.key])).toEqual([[`/greynoise/v3/community/${BAD_IP}`, 'test-gn-key'], [`/greynoise/v3/community/${NOISY_IP}`, 'test-gn-key']]);
  });

  it('VirusTotal and OTX: IPs and domains, with their own auth headers', async () => {
    const vt = await runProvider(provider(adapter('virustotal')), signal, testDeps(), opts);
    const otx = await runProvider(provider(adapter('otx')), signal, testDeps(), opts);
    expect(vt.evidence.map((e) => [e.field, e.value, e.verdict])).toEqual([
      [`${BAD_IP} detections`, '9 malicious, 2 suspicious of 90 engines', 'bad'],
      [`${NOISY_IP} detections`, '0 malicious, 0 suspicious of 90 engines', 'info'],
      [`${BAD_DOMAIN} detections`, '9 malicious, 2 suspicious of 90 engines', 'bad'],
    ]);
    expect(otx.evidence.map((e) => [e.field, e.value, e.verdict])).toEqual([
      [`${BAD_IP} pulses`, 'in 3 pulse(s): Cloud credential theft wave; Crypto-miner C2; Scanner list May', 'bad'],
      [`${NOISY_IP} pulses`, 'in no pulses', 'info'],
      [`${BAD_DOMAIN} pulses`, 'in 3 pulse(s): Cloud credential theft wave; Crypto-miner C2; Scanner list May', 'bad'],
    ]);
    expect(s.requests.map((r) => [r.path, r.headers['x-apikey'] ?? r.headers['x-otx-api-key']])).toEqual([
      [`/virustotal/api/v3/ip_addresses/${BAD_IP}`, 'test-vt-key'],
      [`/virustotal/api/v3/ip_addresses/${NOISY_IP}`, 'test-vt-key'],
      [`/virustotal/api/v3/domains/${BAD_DOMAIN}`, 'test-vt-key'],
      [`/otx/api/v1/indicators/IPv4/${BAD_IP}/general`, 'test-otx-key'],
      [`/otx/api/v1/indicators/IPv4/${NOISY_IP}/general`, 'test-otx-key'],
      [`/otx/api/v1/indicators/domain/${BAD_DOMAIN}/general`, 'test-otx-key'],
    ]);
  });

  it('never sends private addresses out', async () => {
    const privateOnly = baseSignal({ remotes: [{ ip: '10.0.0.5' }, { ip: '192.168.1.1' }, { ip: '169.254.169.254' }] });
    expect(thirdPartyProvider(adapter('abuseipdb')).appliesTo(privateOnly)).toBe(false);
    expect(thirdPartyProvider(adapter('abuseipdb')).appliesTo(signal)).toBe(false);
    await runProvider(thirdPartyProvider(adapter('abuseipdb')), signal, testDeps(), opts);
    expect(s.requests).toEqual([]);
  });

  it('caches answers per indicator in Redis: the second signal costs no request', async () => {
    const deps = testDeps({ redis: tr.redis, prefix: tr.prefix });
    const p = provider(adapter('otx'));
    await runProvider(p, baseSignal({ remotes: [{ ip: BAD_IP }] }), deps, opts);
    const again = await runProvider(p, baseSignal({ id: 'other', remotes: [{ ip: BAD_IP }] }), deps, opts);
    expect(s.requests).toHaveLength(1);
    expect(again.evidence[0]?.verdict).toBe('bad');
  });

  it('a failing or rate-limited service is unavailable with the reason', async () => {
    s.failWith.set('virustotal', 500);
    s.failWith.set('abuseipdb', 429);
    const vt = await runProvider(provider(adapter('virustotal')), signal, testDeps(), opts);
    const ab = await runProvider(provider(adapter('abuseipdb')), signal, testDeps(), opts);
    expect([vt.status, vt.reason]).toEqual(['unavailable', 'virustotal answered HTTP 500']);
    expect([ab.status, ab.reason]).toEqual(['unavailable', 'abuseipdb rate limit']);
  });

  it('a slow service times out without holding the others', async () => {
    s.delayMs.set('greynoise', 2_000);
    const slow = { ...provider(adapter('greynoise')), timeoutMs: 100 };
    const result = await runProvider(slow, signal, testDeps(), opts);
    expect(result).toEqual({ provider: 'greynoise', status: 'unavailable', reason: 'timed out after 100 ms', evidence: [] });
  });
});
