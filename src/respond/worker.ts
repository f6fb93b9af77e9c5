import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { InputError, errorMessage } from '../core/errors.js';
import { LogField } from '../core/log.js';
import { responseContext, type ResponseContext } from './context.js';
import type { ResponseDeps } from './deps.js';
import { runDuetAnswer, runDuetReminder, runDuetTimeout } from './duet.js';
import { publishHome } from './home.js';
import { runCloudTrailQuery, runInvestigation } from './investigate-run.js';
import { ACTIONS_QUEUE, ActionJobSchema, type ActionJob } from './jobs.js';
import { showKeyDetails } from './key-details.js';
import { runClose, runLifecycle } from './lifecycle.js';
import { runRemediation } from './remediation/run.js';
import { runAuditExport } from './commands-run.js';
import { runAckEscalation } from './timers.js';

/**
 * The `actions` queue worker: parse the job, hand it to its plain function.
 * Bad job data and InputErrors fail for good; anything else is retried.
 */

export async function processActionJob(ctx: ResponseContext, data: unknown): Promise<void> {
  const parsed = ActionJobSchema.safeParse(data);
  if (!parsed.success) throw new UnrecoverableError(`action job does not match its schema: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  try {
    await dispatch(ctx, parsed.data);
  } catch (err) {
    if (err instanceof InputError) throw new UnrecoverableError(errorMessage(err));
    throw err;
  }
}

async function dispatch(ctx: ResponseContext, job: ActionJob): Promise<void> {
  switch (job.type) {
    case 'lifecycle':
      return runLifecycle(ctx, job);
    case 'close':
      return runClose(ctx, job);
    case 'duet-answer':
      return runDuetAnswer(ctx, job);
    case 'duet-remind':
      return runDuetReminder(ctx, job.alertId);
    case 'duet-timeout':
      return runDuetTimeout(ctx, job.alertId);
    case 'ack-escalate':
      return runAckEscalation(ctx, job.alertId);
    case 'key-details':
      return showKeyDetails(ctx, job);
    case 'remediate':
      return runRemediation(ctx, job);
    case 'investigate':
      return runInvestigation(ctx, job);
    case 'cloudtrail':
      return runCloudTrailQuery(ctx, job);
    case 'audit-export':
      return runAuditExport(ctx, job);
    case 'home':
      return publishHome(ctx, job.userId);
  }
}

export interface ActionsWorkerOptions {
  connection: ConnectionOptions;
  concurrency?: number;
}

export function createActionsWorker(deps: ResponseDeps, options: ActionsWorkerOptions): Worker {
  const ctx = responseContext(deps);
  const worker = new Worker(ACTIONS_QUEUE, (job: Job) => processActionJob(ctx, job.data), {
    connection: options.connection,
    prefix: deps.prefix,
    concurrency: options.concurrency ?? 4,
  });
  worker.on('failed', (job, err) => deps.log.warn('action job failed', { [LogField.jobId]: job?.id, attempt: job?.attemptsMade, [LogField.error]: err }));
  worker.on('error', (err) => deps.log.error('actions worker error', { [LogField.error]: err }));
  return worker;
}
