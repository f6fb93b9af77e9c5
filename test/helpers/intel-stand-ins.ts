/**
 * Loopback stand-ins for AbuseIPDB, GreyNoise, VirusTotal and AlienVault OTX,
 * answering in each service's own response format. One server on an
 * ephemeral 127.0.0.1 port serves all four under different path prefixes;
 * every request is recorded so tests can assert paths and auth headers.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface RecordedRequest {
  service: string;
  path: string;
  headers: IncomingMessage['headers'];
}

export interface StandIns {
  baseUrl: string;
  requests: RecordedRequest[];
  /** Make a service answer this status (e.g. 500, 429) until cleared. */
  failWith: Map<string, number>;
  /** Delay every answer of a service by this many ms. */
  delayMs: Map<string, number>;
  close(): Promise<void>;
}

/** Indicators the stand-ins know; anything else is "not found" or clean. */
export const BAD_IP = '203.0.113.66';
export const NOISY_IP = '198.51.100.23';
export const BAD_DOMAIN = 'exfil.example';

function abuse(ip: string): unknown {
  const bad = ip === BAD_IP;
  return {
    data: {
      ipAddress: ip, isPublic: true, ipVersion: 4, isWhitelisted: false,
      abuseConfidenceScore: bad ? 100 : 0, countryCode: 'NL', usageType: bad ? 'Data Center/Web Hosting/Transit' : null,
      isp: 'Example Hosting', domain: 'example.net', hostnames: [], isTor: bad, totalReports: bad ? 412 : 0,
      numDistinctUsers: bad ? 97 : 0, lastReportedAt: bad ? '2024-05-01T09:12:44+00:00' : null,
    },
  };
}

function greynoise(ip: string): [number, unknown] {
  if (ip === NOISY_IP) return [200, { ip, noise: true, riot: false, classification: 'malicious', name: 'unknown', link: `https://viz.greynoise.io/ip/${ip}`, last_seen: '2024-05-01', message: 'Success' }];
  return [404, { ip, noise: false, riot: false, message: 'IP not observed scanning the internet or contained in RIOT data set.' }];
}

function virustotal(kind: string, id: string): unknown {
  const bad = id === BAD_IP || id === BAD_DOMAIN;
  const stats = bad ? { harmless: 50, malicious: 9, suspicious: 2, undetected: 29, timeout: 0 } : { harmless: 70, malicious: 0, suspicious: 0, undetected: 20, timeout: 0 };
  return { data: { id, type: kind === 'ip_addresses' ? 'ip_address' : 'domain', links: { self: `/api/v3/${kind}/${id}` }, attributes: { last_analysis_stats: stats, reputation: bad ? -40 : 0, as_owner: 'Example Hosting' } } };
}

function otx(id: string): unknown {
  const bad = id === BAD_IP || id === BAD_DOMAIN;
  const pulses = bad ? [{ id: 'p1', name: 'Cloud credential theft wave' }, { id: 'p2', name: 'Crypto-miner C2' }, { id: 'p3', name: 'Scanner list May' }] : [];
  return { indicator: id, type: 'IPv4', reputation: 0, pulse_info: { count: pulses.length, pulses, references: [] }, asn: 'AS64511 Example' };
}

function route(path: string): { service: string; status: number; body: unknown } {
  const url = new URL(path, 'http://stand-in');
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'abuseipdb') return { service: 'abuseipdb', status: 200, body: abuse(url.searchParams.get('ipAddress') ?? '') };
  if (parts[0] === 'greynoise') {
    const [status, body] = greynoise(parts[3] ?? '');
    return { service: 'greynoise', status, body };
  }
  if (parts[0] === 'virustotal') return { service: 'virustotal', status: 200, body: virustotal(parts[3] ?? '', parts[4] ?? '') };
  if (parts[0] === 'otx') return { service: 'otx', status: 200, body: otx(parts[5] ?? '') };
  return { service: 'unknown', status: 404, body: { error: 'no such route' } };
}

export async function startIntelStandIns(): Promise<StandIns> {
  const requests: RecordedRequest[] = [];
  const failWith = new Map<string, number>();
  const delayMs = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    const answer = route(path);
    requests.push({ service: answer.service, path, headers: req.headers });
    const status = failWith.get(answer.service) ?? answer.status;
    const send = () => {
      res.writeHead(status, { 'content-type': 'application/json', ...(status === 429 ? { 'retry-after': '30' } : {}) });
      res.end(JSON.stringify(status >= 400 && status !== 404 ? { errors: [{ detail: 'stand-in failure' }] } : answer.body));
    };
    const delay = delayMs.get(answer.service) ?? 0;
    if (delay > 0) setTimeout(send, delay);
    else send();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    failWith,
    delayMs,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** The env that points every adapter at the stand-ins. */
export function standInEnv(s: StandIns): NodeJS.ProcessEnv {
  return {
    ABUSEIPDB_API_KEY: 'test-abuse-key', PICKET_ABUSEIPDB_URL: `${s.baseUrl}/abuseipdb`,
    GREYNOISE_API_KEY: 'test-gn-key', PICKET_GREYNOISE_URL: `${s.baseUrl}/greynoise`,
    VIRUSTOTAL_API_KEY: 'test-vt-key', PICKET_VIRUSTOTAL_URL: `${s.baseUrl}/virustotal`,
    OTX_API_KEY: 'test-otx-key', PICKET_OTX_URL: `${s.baseUrl}/otx`,
  };
}
