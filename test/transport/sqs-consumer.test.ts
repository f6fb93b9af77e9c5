import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { Queue } from 'bullmq';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/log.js';
import { jobIdFor } from '../../src/intake/identity.js';
import { readInput } from '../../src/intake/reader.js';
import { createDeadLetterStore } from '../../src/queue/dead-letter.js';
import { createEnqueuer } from '../../src/queue/enqueue.js';
import { QUEUE_NAME } from '../../src/queue/settings.js';
import { createStats } from '../../src/queue/stats.js';
import { receiveOnce, type SqsConsumerDeps } from '../../src/sources/sqs-consumer.js';
import { guardDutyEvent } from '../helpers/events.js';
import { openTestRedis, type TestRedis } from '../helpers/redis.js';

const sqs = mockClient(SQSClient);
const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/111122223333/picket-findings';

/** SNS → SQS delivers the EventBridge event as a JSON string inside the notification. */
function snsWrapped(event: object): string {
  return JSON.stringify({ Type: 'Notification', MessageId: 'm-1', TopicArn: 'arn:aws:sns:eu-west-1:111122223333:gd', Message: JSON.stringify(event) });
}

describe('SQS consumer', () => {
  let t: TestRedis;
  let queue: Queue;
  let deps: SqsConsumerDeps;

  beforeEach(async () => {
    t = await openTestRedis('sqs');
    sqs.reset();
    queue = new Queue(QUEUE_NAME, { connection: t.redis.duplicate(), prefix: t.prefix });
    const deadLetters = createDeadLetterStore(t.redis, t.prefix);
    const enqueuer = createEnqueuer({ queue, redis: t.redis, deadLetters, stats: createStats(t.redis, t.prefix), jobIdFor, log: silentLogger });
    deps = { client: new SQSClient({ region: 'eu-west-1' }), queueUrl: QUEUE_URL, enqueuer, read: readInput, log: silentLogger };
  });
  afterEach(async () => {
    await queue.close();
    await t.cleanup();
  });

  it('long-polls, queues each body, and deletes a message only after it is queued', async () => {
    sqs.on(ReceiveMessageCommand).resolves({
      Messages: [
        { MessageId: 'a', ReceiptHandle: 'rh-a', Body: JSON.stringify(guardDutyEvent({ id: 'aaa111' })) },
        { MessageId: 'b', ReceiptHandle: 'rh-b', Body: snsWrapped(guardDutyEvent({ id: 'bbb222' })) },
      ],
    });
    sqs.on(DeleteMessageCommand).resolves({});

    expect(await receiveOnce(deps)).toEqual({ received: 2, deleted: 2, kept: 0 });
    expect(sqs.commandCalls(ReceiveMessageCommand).map((c) => c.args[0].input)).toEqual([{ QueueUrl: QUEUE_URL, MaxNumberOfMessages: 10, WaitTimeSeconds: 20 }]);
    expect(sqs.commandCalls(DeleteMessageCommand).map((c) => c.args[0].input)).toEqual([
      { QueueUrl: QUEUE_URL, ReceiptHandle: 'rh-a' },
      { QueueUrl: QUEUE_URL, ReceiptHandle: 'rh-b' },
    ]);
    expect((await queue.getJobs(['waiting'])).map((j) => j.data.item.doc.id).sort()).toEqual(['aaa111', 'bbb222']);
  });

  it('dead-letters a poison message with its reason, then deletes it', async () => {
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [{ MessageId: 'p', ReceiptHandle: 'rh-p', Body: '<html>not json' }] });
    sqs.on(DeleteMessageCommand).resolves({});

    expect(await receiveOnce(deps)).toEqual({ received: 1, deleted: 1, kept: 0 });
    const [entry] = await createDeadLetterStore(t.redis, t.prefix).list();
    expect(entry).toMatchObject({ stage: 'read', source: 'sqs:picket-findings' });
    expect(entry?.reason.startsWith('not JSON')).toBe(true);
    expect((await createDeadLetterStore(t.redis, t.prefix).get(entry?.id ?? ''))?.raw).toBe('<html>not json');
  });

  it('leaves the message undeleted when Redis fails, so SQS delivers it again', async () => {
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [{ MessageId: 'c', ReceiptHandle: 'rh-c', Body: JSON.stringify(guardDutyEvent({ id: 'ccc333' })) }] });
    deps.enqueuer = { enqueue: async () => { throw new Error('Connection is closed.'); } };

    expect(await receiveOnce(deps)).toEqual({ received: 1, deleted: 0, kept: 1 });
    expect(sqs.commandCalls(DeleteMessageCommand)).toHaveLength(0);
  });
});
