import type { Redis } from 'ioredis';
import { LogField, type Logger } from '../core/log.js';
import type { Signal } from '../model/signal.js';
import type { Triaged } from '../pipeline/triage.js';
import type { DeliveryAction } from '../queue/stats.js';
import { createCardStore, isNewer, type CardState, type CardStoreOptions, type CardVersion } from './card-state.js';

/**
 * Exactly one message per cardKey. The first delivery posts; a later version
 * of the same finding updates that message in place and leaves a short note
 * in its thread; an older or identical re-delivery changes nothing. Where the
 * message goes (Slack, or the terminal and out/ in local mode) is the sink's
 * business.
 */

export type Card = NonNullable<Triaged['card']>;

export interface MessageRef {
  channel: string;
  ts: string;
}

export interface CardSink {
  post(cardKey: string, channel: string, card: Card): Promise<MessageRef>;
  update(cardKey: string, ref: MessageRef, card: Card): Promise<void>;
  note(cardKey: string, ref: MessageRef, text: string): Promise<void>;
}

export interface Delivery {
  deliver(triaged: Triaged): Promise<DeliveryAction>;
}

export type UpdateNote = (prev: { count: number; lastSeen?: string }, next: Signal) => string;

export interface DeliveryOptions extends CardStoreOptions {
  redis: Redis;
  prefix: string;
  sink: CardSink;
  updateNote: UpdateNote;
  log: Logger;
}

export function createDelivery(options: DeliveryOptions): Delivery {
  const store = createCardStore(options.redis, options.prefix, options);
  const { sink, log } = options;

  return {
    deliver: async (triaged) => {
      const { card, channel, cardKey, signal } = triaged;
      if (!card || !channel || !cardKey) return 'none';
      const next = versionOf(signal);

      return store.withLock(cardKey, async () => {
        const prev = await store.get(cardKey);
        if (!prev) {
          const ref = await sink.post(cardKey, channel, card);
          await store.set(cardKey, { ...ref, ...next });
          log.info('card posted', { cardKey, [LogField.channel]: ref.channel, [LogField.findingId]: signal?.id });
          return 'posted';
        }
        if (!signal || !isNewer(prev, next)) return 'unchanged';
        await applyUpdate(sink, cardKey, prev, card, options.updateNote(prev, signal));
        await store.set(cardKey, { channel: prev.channel, ts: prev.ts, ...next });
        log.info('card updated', { cardKey, [LogField.channel]: prev.channel, count: next.count });
        return 'updated';
      });
    },
  };
}

async function applyUpdate(sink: CardSink, cardKey: string, prev: CardState, card: Card, note: string): Promise<void> {
  const ref = { channel: prev.channel, ts: prev.ts };
  await sink.update(cardKey, ref, card);
  await sink.note(cardKey, ref, note);
}

function versionOf(signal: Signal | undefined): CardVersion {
  return { count: signal?.count ?? 1, updatedAt: signal?.updatedAt, lastSeen: signal?.lastSeen };
}
