import type { ResponseContext } from './context.js';
import type { ActionJob } from './jobs.js';
import { ephemeral } from './slack-out.js';

/** `/picket audit export`: the trail as JSON lines, uploaded where the command was typed. */

type ExportJob = Extract<ActionJob, { type: 'audit-export' }>;

export async function runAuditExport(ctx: ResponseContext, job: ExportJob): Promise<void> {
  const lines = await ctx.audit.exportLines({ alertId: job.alertId });
  if (lines === '') {
    await ephemeral(ctx, job.reply, 'The audit trail is empty for that selection.');
    return;
  }
  const name = `picket-audit${job.alertId ? `-${job.alertId}` : ''}-${ctx.now().toISOString().slice(0, 10)}.jsonl`;
  await ctx.deps.slack.filesUploadV2({ channel_id: job.reply.channel, filename: name, title: name, content: lines });
  // An alert's export is that tenant's business; the whole trail's belongs to the install-wide view.
  const tenant = job.alertId ? (await ctx.alerts.get(job.alertId))?.tenantId : undefined;
  await ctx.record(job.actor, { action: 'audit_export', target: job.alertId ?? 'all', alertId: job.alertId, ...(tenant ? { tenant } : {}), result: 'ok', detail: `${lines.split('\n').length} entries` });
}
