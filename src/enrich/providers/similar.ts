/** Similar alerts for this tenant in the last 30 days: same actor, resource or type. */
import { similarAlerts } from '../similar.js';
import { settingsOf, type Evidence, type Provider } from '../types.js';

const NAME = 'similar';
const SHOWN = 5;

export const similarProvider: Provider = {
  name: NAME,
  appliesTo: () => true,
  unready: (deps) => (deps.redis ? undefined : 'no Redis for the alert index'),
  timeoutMs: 2_000,
  ttlSeconds: 0,
  budget: 0,
  async run(ctx) {
    const redis = ctx.deps.redis;
    if (!redis) return { evidence: [] };
    const days = settingsOf(ctx.deps).similarDays;
    const found = await similarAlerts(ctx.signal, ctx.tenantId, { ...ctx.deps, redis }, ctx.now, days);
    if (found.length === 0) return { evidence: [{ provider: NAME, field: 'similar alerts', value: `none in ${days} days` }] };

    const sameActor = found.filter((a) => a.matched.includes('actor')).length;
    const evidence: Evidence[] = [
      { provider: NAME, field: 'similar alerts', value: `${found.length} in ${days} days (${sameActor} same actor)`, verdict: sameActor > 0 ? 'suspicious' : 'info' },
    ];
    for (const a of found.slice(0, SHOWN)) {
      evidence.push({ provider: NAME, field: `${a.at.slice(0, 10)} ${a.matched.join('+')}`, value: `${a.title}${a.permalink ? ` ${a.permalink}` : ''}` });
    }
    return { evidence };
  },
};
