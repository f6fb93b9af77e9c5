import type { Block, KnownBlock } from '@slack/types';
import { renderAlertCard } from '../../blocks/response-card.js';
import { LogField } from '../core/log.js';
import type { ResponseContext } from './context.js';
import type { AlertRecord } from './types.js';

/**
 * Every way the response side speaks in Slack: redraw a card, add to its
 * thread, answer one person privately. New messages never carry user
 * references (they would ping); card edits may.
 */

export interface Reply {
  channel: string;
  userId: string;
  responseUrl?: string;
}

/** Slack's own response URLs only: a payload must not be able to send us elsewhere. */
const RESPONSE_URL = /^https:\/\/hooks\.slack\.com\//;

export async function refreshCard(ctx: ResponseContext, alert: AlertRecord): Promise<void> {
  const tenantName = alert.tenantId ? ctx.tenants.byId(alert.tenantId)?.name : undefined;
  const card = renderAlertCard(alert, { mentions: true, tenantName });
  await ctx.deps.slack.chat.update({ channel: alert.channel, ts: alert.ts, text: card.text, blocks: card.blocks });
}

export async function threadNote(ctx: ResponseContext, alert: AlertRecord, text: string, blocks?: (KnownBlock | Block)[]): Promise<void> {
  await ctx.deps.slack.chat.postMessage({ channel: alert.channel, thread_ts: alert.ts, text, ...(blocks ? { blocks } : {}) });
}

export async function ephemeral(ctx: ResponseContext, reply: Reply, text: string, blocks?: (KnownBlock | Block)[]): Promise<void> {
  if (reply.responseUrl && responseUrlAllowed(ctx, reply.responseUrl)) {
    const res = await fetch(reply.responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text, ...(blocks ? { blocks } : {}) }),
    });
    if (res.ok) return;
    ctx.deps.log.warn('response_url refused the reply; falling back to an ephemeral message', { status: res.status });
  }
  await ctx.deps.slack.chat.postEphemeral({ channel: reply.channel, user: reply.userId, text, ...(blocks ? { blocks } : {}) });
}

function responseUrlAllowed(ctx: ResponseContext, url: string): boolean {
  const allowed = ctx.deps.responseUrlAllowed ?? ((u: string) => RESPONSE_URL.test(u));
  if (allowed(url)) return true;
  ctx.deps.log.warn('ignoring a response_url outside hooks.slack.com', { [LogField.component]: 'respond' });
  return false;
}
