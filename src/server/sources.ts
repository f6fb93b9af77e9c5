import { SQSClient } from '@aws-sdk/client-sqs';
import type { PicketConfig } from '../config/schema.js';
import type { Logger } from '../core/log.js';
import { readInput } from '../intake/reader.js';
import type { Runtime } from '../queue/runtime.js';
import { cachedClients, pollAll, pollTargets } from '../sources/guardduty-poller.js';
import { every } from '../sources/schedule.js';
import { startSqsConsumer } from '../sources/sqs-consumer.js';

/** The pulling sources, when the config asks for them: the GuardDuty poller and the SQS consumer. Returns their stoppers. */
export function startSources(runtime: Runtime, config: PicketConfig, log: Logger): Array<() => Promise<void>> {
  const stoppers: Array<() => Promise<void>> = [];
  if (config.poller.enabled) {
    const deps = { redis: runtime.redis, prefix: runtime.settings.prefix, enqueuer: runtime.enqueuer, read: readInput, log: log.child({ component: 'poller' }), clientFor: cachedClients() };
    const targets = pollTargets(config);
    stoppers.push(every(config.poller.interval_seconds * 1000, () => pollAll(targets, deps)).stop);
  }
  if (config.sqs) {
    const client = new SQSClient({ region: config.sqs.region });
    const consumer = startSqsConsumer({ client, queueUrl: config.sqs.queue_url, waitSeconds: config.sqs.wait_seconds, enqueuer: runtime.enqueuer, read: readInput, log: log.child({ component: 'sqs' }) });
    stoppers.push(consumer.stop);
  }
  return stoppers;
}
