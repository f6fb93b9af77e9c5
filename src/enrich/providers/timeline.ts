/** The activity timeline PNG for the alert thread, from the same (cached) CloudTrail lookup. */
import { renderTimeline } from '../../chart/timeline.js';
import { isDenied } from '../activity.js';
import { awsUnready } from '../aws-call.js';
import { anchorTime } from '../facts.js';
import { lookupFor, relatedEvents } from '../related.js';
import type { Provider } from '../types.js';

export const timelineProvider: Provider = {
  name: 'timeline',
  appliesTo: (s) => lookupFor(s) !== undefined,
  unready: awsUnready,
  timeoutMs: 9_000,
  ttlSeconds: 0,
  budget: 0,
  async run(ctx) {
    const related = await relatedEvents(ctx);
    if (related.events.length === 0) return { evidence: [] };
    const png = renderTimeline({
      title: `Activity of ${related.lookup.value} in ${ctx.signal.accountId ?? '?'}`,
      since: related.since,
      until: related.until,
      marker: anchorTime(ctx.signal, ctx.now).since,
      points: related.events.map((e) => ({ time: Date.parse(e.eventTime), lane: e.sourceIp ?? 'unknown', error: e.errorCode !== undefined || isDenied(e) })),
    });
    return { evidence: [], files: [{ name: 'activity-timeline.png', content: png, title: `Activity timeline of ${related.lookup.value}` }] };
  },
};
