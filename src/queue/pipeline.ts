import type { WebClient } from '@slack/web-api';
import type { Worker } from 'bullmq';
import type { Secrets } from '../config/load.js';
import type { PicketConfig } from '../config/schema.js';
import type { Logger } from '../core/log.js';
import { buildCard } from '../../blocks/alert-card.js';
import { createFolder } from '../pipeline/fold.js';
import { createTriageContext, triageItem, type TriageContext } from '../pipeline/triage.js';
import type { Delivery } from '../slack/delivery.js';
import { createCardDelivery } from '../slack/wiring.js';
import { workerConnection } from './redis.js';
import type { Runtime } from './runtime.js';
import { startWorker, type ProcessDeps } from './worker.js';

/** The consuming side: triage context, card delivery and the BullMQ worker, wired once. */
export interface PipelineOptions {
  runtime: Runtime;
  config: PicketConfig;
  secrets: Pick<Secrets, 'slackBotToken'>;
  log: Logger;
  write: (line: string) => void;
  outDir?: string;
  client?: WebClient;
  slackApiUrl?: string;
  concurrency?: number;
  /** Where relative rule folders in the config are found (default: the working directory). */
  root?: string;
  /** A triage context built by the caller (serve adds the live suppression matcher); built from the config otherwise. */
  context?: TriageContext;
  /** Wraps card delivery, e.g. with the response side's alert bookkeeping. */
  wrapDelivery?: (delivery: Delivery) => Delivery;
  /** Runs after each delivery (enrichment); its failure never fails the job. */
  after?: ProcessDeps['after'];
}

export interface Pipeline {
  worker: Worker;
  mode: 'slack' | 'local';
  close(): Promise<void>;
}

export async function startPipeline(options: PipelineOptions): Promise<Pipeline> {
  const { runtime, log } = options;
  const ctx = options.context ?? (await createTriageContext(options.config, options.root));
  const { delivery: plain, mode } = createCardDelivery({
    redis: runtime.redis,
    prefix: runtime.settings.prefix,
    secrets: options.secrets,
    log,
    client: options.client,
    slackApiUrl: options.slackApiUrl,
    write: options.write,
    outDir: options.outDir ?? 'out',
  });
  const delivery = options.wrapDelivery ? options.wrapDelivery(plain) : plain;
  const connection = workerConnection(runtime.settings.redisUrl);
  const folder = createFolder(runtime.redis, runtime.settings.prefix, (signal, decision) =>
    buildCard(signal, decision, { tenantName: ctx.tenants.forAccount(signal.accountId).tenant?.name }),
  );
  const deps: ProcessDeps = {
    triage: (item) => triageItem(item, ctx),
    refine: folder.fold,
    ...(options.after ? { after: options.after } : {}),
    delivery,
    deadLetters: runtime.deadLetters,
    stats: runtime.stats,
    log,
  };
  const worker = startWorker({ connection, prefix: runtime.settings.prefix, queueName: runtime.settings.queueName, concurrency: options.concurrency }, deps);
  log.info('worker started', { mode, prefix: runtime.settings.prefix });
  return {
    worker,
    mode,
    close: async () => {
      await worker.close();
      connection.disconnect();
    },
  };
}
