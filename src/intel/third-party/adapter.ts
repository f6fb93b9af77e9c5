/**
 * Third-party reputation services. Each adapter is enabled only when its API
 * key is set; its base URL is configurable so tests aim it at a loopback
 * stand-in. Without a key nothing is ever sent anywhere.
 */
import type { Evidence } from '../../enrich/types.js';
import { abuseIpDb } from './abuseipdb.js';
import { greyNoise } from './greynoise.js';
import { otx } from './otx.js';
import { virusTotal } from './virustotal.js';

export type IndicatorKind = 'ip' | 'domain';

export interface ThirdPartyAdapter {
  name: string;
  kinds: IndicatorKind[];
  check(kind: IndicatorKind, value: string, signal?: AbortSignal): Promise<Evidence[]>;
}

export interface AdapterConfig {
  apiKey: string;
  baseUrl: string;
}

interface AdapterSpec {
  keyVar: string;
  urlVar: string;
  defaultUrl: string;
  make: (config: AdapterConfig) => ThirdPartyAdapter;
}

const SPECS: AdapterSpec[] = [
  { keyVar: 'ABUSEIPDB_API_KEY', urlVar: 'PICKET_ABUSEIPDB_URL', defaultUrl: 'https://api.abuseipdb.com', make: abuseIpDb },
  { keyVar: 'GREYNOISE_API_KEY', urlVar: 'PICKET_GREYNOISE_URL', defaultUrl: 'https://api.greynoise.io', make: greyNoise },
  { keyVar: 'VIRUSTOTAL_API_KEY', urlVar: 'PICKET_VIRUSTOTAL_URL', defaultUrl: 'https://www.virustotal.com', make: virusTotal },
  { keyVar: 'OTX_API_KEY', urlVar: 'PICKET_OTX_URL', defaultUrl: 'https://otx.alienvault.com', make: otx },
];

/** The adapters whose API key is set in `env`. */
export function thirdPartyFromEnv(env: NodeJS.ProcessEnv = process.env): ThirdPartyAdapter[] {
  return SPECS.filter((s) => (env[s.keyVar] ?? '') !== '').map((s) =>
    s.make({ apiKey: env[s.keyVar] ?? '', baseUrl: (env[s.urlVar] || s.defaultUrl).replace(/\/+$/, '') }),
  );
}
