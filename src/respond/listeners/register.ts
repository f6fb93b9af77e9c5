import type { App } from '@slack/bolt';
import { ActionId } from '../../../blocks/action-ids.js';
import { ViewId } from '../../../blocks/view-ids.js';
import { LogField } from '../../core/log.js';
import { authorize } from '../authorize.js';
import { responseContext, type ResponseContext } from '../context.js';
import type { ResponseDeps } from '../deps.js';
import { CLICKS } from './buttons.js';
import { onClick, type ClickArgs } from './click.js';
import { detectionsCommand, investigateCommand } from './commands.js';
import { picketCommand } from './picket-command.js';
import { onSubmit, remediationAction, submitClose, submitRemediation, submitSuppression, validateSuppression } from './views.js';

/**
 * Every Slack listener of the response side, added to the app the lead
 * builds. Each acknowledges first; the work happens on the `actions` queue.
 */
export function registerResponse(app: App, deps: ResponseDeps): void {
  const ctx = responseContext(deps);
  for (const click of CLICKS) app.action(click.id, onClick(ctx, click.action, click.handle));
  app.action(ActionId.revokeSuppression, revokeFromHome(ctx));
  app.action(ActionId.homeRefresh, async ({ ack, body }) => {
    await ack();
    await ctx.enqueue({ type: 'home', userId: body.user.id });
  });
  // The console button is a link; Slack still sends a click, which only needs acknowledging.
  app.action(ActionId.openConsole, async ({ ack }) => ack());

  app.view(ViewId.close, onSubmit(ctx, () => 'close', submitClose));
  app.view(ViewId.remediate, onSubmit(ctx, remediationAction, submitRemediation));
  app.view(ViewId.suppress, onSubmit(ctx, () => 'suppress', submitSuppression, validateSuppression));

  app.command('/investigate', investigateCommand(ctx));
  app.command('/detections', detectionsCommand(ctx));
  app.command('/picket', picketCommand(ctx));

  app.event('app_home_opened', async ({ event }) => {
    if (event.tab !== 'home') return;
    await ctx.enqueue({ type: 'home', userId: event.user });
  });
}

function revokeFromHome(ctx: ResponseContext) {
  return async (args: ClickArgs): Promise<void> => {
    await args.ack();
    const userId = args.body.user.id;
    const id = args.action.type === 'button' ? (args.action.value ?? '') : '';
    try {
      const found = await ctx.suppressions.get(id);
      const actor = await ctx.actorFor(userId, undefined, found?.tenant);
      const verdict = authorize('suppression_revoke', found ? actor.roles : []);
      if (!found || !verdict.allowed) {
        await ctx.record(actor, { action: 'suppression_revoke', target: id.slice(0, 40), result: 'refused', ...(found ? { tenant: found.tenant } : {}), detail: verdict.reason ?? 'unknown suppression' });
        return;
      }
      await ctx.suppressions.revoke(found.id);
      await ctx.record(actor, { action: 'suppression_revoke', target: found.id, tenant: found.tenant, result: 'ok' });
      await ctx.enqueue({ type: 'home', userId });
    } catch (err) {
      ctx.deps.log.error('suppression revoke failed', { [LogField.error]: err });
    }
  };
}
