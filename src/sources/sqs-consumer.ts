import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { LogField, type Logger } from '../core/log.js';
import type { ReadItem } from '../model/item.js';
import { withTimeout, type Enqueuer } from '../queue/enqueue.js';

/**
 * EventBridge → SQS (or SNS → SQS) for accounts that cannot reach the HTTPS
 * intake. A message is deleted only once its items are in Redis; a poison
 * message is dead-lettered (by the enqueuer) and then deleted; when Redis
 * fails the message stays and becomes visible again after its timeout.
 */

export interface SqsConsumerDeps {
  client: SQSClient;
  queueUrl: string;
  waitSeconds?: number;
  enqueuer: Enqueuer;
  read: (data: string, file: string) => ReadItem[];
  log: Logger;
  writeTimeoutMs?: number;
}

export interface ReceiveResult {
  received: number;
  deleted: number;
  kept: number;
}

export async function receiveOnce(deps: SqsConsumerDeps): Promise<ReceiveResult> {
  const reply = await deps.client.send(
    new ReceiveMessageCommand({ QueueUrl: deps.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: deps.waitSeconds ?? 20 }),
  );
  const messages = reply.Messages ?? [];
  const result: ReceiveResult = { received: messages.length, deleted: 0, kept: 0 };
  for (const message of messages) {
    const done = await queueMessage(deps, message.Body ?? '', message.MessageId);
    if (done && message.ReceiptHandle) {
      await deps.client.send(new DeleteMessageCommand({ QueueUrl: deps.queueUrl, ReceiptHandle: message.ReceiptHandle }));
      result.deleted += 1;
    } else {
      result.kept += 1;
    }
  }
  return result;
}

async function queueMessage(deps: SqsConsumerDeps, body: string, messageId: string | undefined): Promise<boolean> {
  const source = `sqs:${queueName(deps.queueUrl)}`;
  try {
    const counts = await withTimeout(deps.enqueuer.enqueue(deps.read(body, source), { raw: body }), deps.writeTimeoutMs ?? 10_000);
    if (counts.rejected > 0) deps.log.warn('SQS message dead-lettered', { messageId, rejected: counts.rejected });
    return true;
  } catch (err) {
    deps.log.error('cannot queue SQS message; leaving it for redelivery', { messageId, [LogField.error]: err });
    return false;
  }
}

function queueName(url: string): string {
  return url.split('/').filter(Boolean).pop() ?? url;
}

/** Long-poll until stopped; `stop()` resolves after the receive in flight is settled. */
export function startSqsConsumer(deps: SqsConsumerDeps): { stop(): Promise<void> } {
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        await receiveOnce(deps);
      } catch (err) {
        const requestId = (err as { $metadata?: { requestId?: string } }).$metadata?.requestId;
        deps.log.error('SQS receive failed', { [LogField.requestId]: requestId, [LogField.error]: err });
        await new Promise((resolve) => setTimeout(resolve, 5_000));
      }
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
    },
  };
}
