import { WebClient } from '@slack/web-api';
import type { Redis } from 'ioredis';
import { blockKitBuilderUrl, buildUpdateNote, renderCardText } from '../../blocks/cards.js';
import { withEvidence } from '../../blocks/response-card.js';
import type { Secrets } from '../config/load.js';
import type { Logger } from '../core/log.js';
import { defaultOfflineDeps, type OfflineDeps } from '../enrich/offline.js';
import { offlineEvidence } from '../enrich/run.js';
import { slackClientOptions } from './app.js';
import { createDelivery, type Delivery } from './delivery.js';
import { createLocalSink } from './local-sink.js';
import { createChannelLimiter } from './rate-limit.js';
import { createSlackSink } from './slack-sink.js';

/**
 * Slack mode when there is a bot token, local mode otherwise: the same
 * one-card-per-finding logic, different destinations.
 */
export interface DeliverySetup {
  redis: Redis;
  prefix: string;
  secrets: Pick<Secrets, 'slackBotToken'>;
  log: Logger;
  /** The Bolt app's client, when one runs; otherwise one is made from the token. */
  client?: WebClient;
  slackApiUrl?: string;
  /** Local mode: where card text goes, and the folder for Block Kit JSON. */
  write: (line: string) => void;
  outDir: string;
  /** Local mode: intel and geo for the offline evidence on each card (default: the bundled sources); false leaves it out. */
  offline?: OfflineDeps | false;
}

export function createCardDelivery(setup: DeliverySetup): { delivery: Delivery; mode: 'slack' | 'local' } {
  const token = setup.secrets.slackBotToken;
  const common = { redis: setup.redis, prefix: setup.prefix, updateNote: buildUpdateNote, log: setup.log };
  if (!token) {
    const sink = createLocalSink({ outDir: setup.outDir, write: setup.write, renderText: renderCardText, builderUrl: blockKitBuilderUrl });
    const delivery = createDelivery({ ...common, sink });
    if (setup.offline === false) return { delivery, mode: 'local' };
    const offline = setup.offline;
    return { delivery: withOfflineEvidence(delivery, () => offline ?? defaultOfflineDeps()), mode: 'local' };
  }
  const client = setup.client ?? new WebClient(token, slackClientOptions(setup.slackApiUrl));
  const limiter = createChannelLimiter(setup.redis, setup.prefix);
  return { delivery: createDelivery({ ...common, sink: createSlackSink({ client, limiter, log: setup.log }) }), mode: 'slack' };
}

/** Local mode runs no enrichment; each card shows what is known without the network (intel, geo/ASN). */
function withOfflineEvidence(delivery: Delivery, offline: () => OfflineDeps): Delivery {
  return {
    deliver: (triaged) => {
      const { signal, card } = triaged;
      if (!signal || !card) return delivery.deliver(triaged);
      return delivery.deliver({ ...triaged, card: withEvidence(card, offlineEvidence(signal, offline())) });
    },
  };
}
