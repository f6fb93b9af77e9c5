/** VirusTotal v3 IP and domain reports: engine verdict counts and owner. */
import { z } from 'zod';
import type { Evidence } from '../../enrich/types.js';
import type { AdapterConfig, ThirdPartyAdapter } from './adapter.js';
import { getJson } from './http.js';

const ReportSchema = z.object({
  data: z.object({
    id: z.string(),
    attributes: z.object({
      last_analysis_stats: z.object({ malicious: z.number(), suspicious: z.number(), harmless: z.number(), undetected: z.number() }),
      reputation: z.number().optional(),
      as_owner: z.string().optional(),
    }),
  }),
});

export function virusTotal(config: AdapterConfig): ThirdPartyAdapter {
  return {
    name: 'virustotal',
    kinds: ['ip', 'domain'],
    async check(kind, value, signal) {
      const path = kind === 'ip' ? 'ip_addresses' : 'domains';
      const body = await getJson('virustotal', `${config.baseUrl}/api/v3/${path}/${encodeURIComponent(value)}`, { 'x-apikey': config.apiKey }, signal);
      if (body === undefined) return [];
      const a = ReportSchema.parse(body).data.attributes;
      const s = a.last_analysis_stats;
      const total = s.malicious + s.suspicious + s.harmless + s.undetected;
      const verdict: Evidence['verdict'] = s.malicious >= 3 ? 'bad' : s.malicious + s.suspicious > 0 ? 'suspicious' : 'info';
      return [{ provider: 'virustotal', field: `${value} detections`, value: `${s.malicious} malicious, ${s.suspicious} suspicious of ${total} engines`, verdict }];
    },
  };
}
