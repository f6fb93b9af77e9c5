/** AlienVault OTX indicator "general" section: how many pulses name the indicator. */
import { z } from 'zod';
import type { Evidence } from '../../enrich/types.js';
import type { AdapterConfig, ThirdPartyAdapter } from './adapter.js';
import { getJson } from './http.js';

const GeneralSchema = z.object({
  indicator: z.string(),
  pulse_info: z.object({ count: z.number(), pulses: z.array(z.object({ name: z.string() })).default([]) }),
});

export function otx(config: AdapterConfig): ThirdPartyAdapter {
  return {
    name: 'otx',
    kinds: ['ip', 'domain'],
    async check(kind, value, signal) {
      const section = kind === 'ip' ? (value.includes(':') ? 'IPv6' : 'IPv4') : 'domain';
      const url = `${config.baseUrl}/api/v1/indicators/${section}/${encodeURIComponent(value)}/general`;
      const body = await getJson('otx', url, { 'X-OTX-API-KEY': config.apiKey }, signal);
      if (body === undefined) return [];
      const info = GeneralSchema.parse(body).pulse_info;
      const names = info.pulses.slice(0, 3).map((p) => p.name);
      const value_ = info.count === 0 ? 'in no pulses' : `in ${info.count} pulse(s): ${names.join('; ')}`;
      const verdict: Evidence['verdict'] = info.count >= 3 ? 'bad' : info.count > 0 ? 'suspicious' : 'info';
      return [{ provider: 'otx', field: `${value} pulses`, value: value_, verdict }];
    },
  };
}
