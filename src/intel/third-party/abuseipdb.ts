/** AbuseIPDB v2 `check`: confidence score, report count, Tor flag, usage type. */
import { z } from 'zod';
import type { Evidence } from '../../enrich/types.js';
import type { AdapterConfig, ThirdPartyAdapter } from './adapter.js';
import { getJson } from './http.js';

const CheckSchema = z.object({
  data: z.object({
    ipAddress: z.string(),
    abuseConfidenceScore: z.number(),
    totalReports: z.number().optional(),
    isTor: z.boolean().optional(),
    usageType: z.string().nullable().optional(),
    isp: z.string().nullable().optional(),
    lastReportedAt: z.string().nullable().optional(),
  }),
});

export function abuseIpDb(config: AdapterConfig): ThirdPartyAdapter {
  return {
    name: 'abuseipdb',
    kinds: ['ip'],
    async check(_kind, ip, signal) {
      const url = `${config.baseUrl}/api/v2/check?ipAddress=${encodeURIComponent(ip)}&maxAgeInDays=90`;
      const body = await getJson('abuseipdb', url, { Key: config.apiKey }, signal);
      if (body === undefined) return [];
      const d = CheckSchema.parse(body).data;
      const score = d.abuseConfidenceScore;
      const evidence: Evidence[] = [
        {
          provider: 'abuseipdb',
          field: `${ip} abuse confidence`,
          value: `${score}% (${d.totalReports ?? 0} reports${d.lastReportedAt ? `, last ${d.lastReportedAt}` : ''})`,
          verdict: score >= 75 ? 'bad' : score >= 25 ? 'suspicious' : 'info',
        },
      ];
      if (d.isTor) evidence.push({ provider: 'abuseipdb', field: `${ip} Tor`, value: 'Tor exit node', verdict: 'bad' });
      if (d.usageType) evidence.push({ provider: 'abuseipdb', field: `${ip} usage`, value: d.usageType, verdict: 'info' });
      return evidence;
    },
  };
}
