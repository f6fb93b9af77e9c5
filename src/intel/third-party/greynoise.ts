/** GreyNoise Community API: internet background noise, benign services (RIOT), classification. */
import { z } from 'zod';
import type { Evidence } from '../../enrich/types.js';
import type { AdapterConfig, ThirdPartyAdapter } from './adapter.js';
import { getJson } from './http.js';

const CommunitySchema = z.object({
  ip: z.string(),
  noise: z.boolean(),
  riot: z.boolean(),
  classification: z.string().optional(),
  name: z.string().optional(),
  last_seen: z.string().optional(),
});

export function greyNoise(config: AdapterConfig): ThirdPartyAdapter {
  return {
    name: 'greynoise',
    kinds: ['ip'],
    async check(_kind, ip, signal) {
      const body = await getJson('greynoise', `${config.baseUrl}/v3/community/${encodeURIComponent(ip)}`, { key: config.apiKey }, signal);
      if (body === undefined) return [{ provider: 'greynoise', field: `${ip} classification`, value: 'not observed scanning', verdict: 'info' }];
      const d = CommunitySchema.parse(body);
      const cls = d.classification ?? 'unknown';
      const what = d.riot ? `benign service (${d.name ?? 'RIOT'})` : d.noise ? `internet scanner, ${cls}` : cls;
      const verdict: Evidence['verdict'] = cls === 'malicious' ? 'bad' : d.noise && !d.riot ? 'suspicious' : 'info';
      return [{ provider: 'greynoise', field: `${ip} classification`, value: `${what}${d.last_seen ? `, last seen ${d.last_seen}` : ''}`, verdict }];
    },
  };
}
