/**
 * The hunt side of `serve` in one call: load the hunts (failing at start-up
 * on any broken file), register `/hunt`, and run the `hunts` queue and its
 * worker. Without AWS access a hunt fails with a clear message instead of
 * reaching for the default credential chain.
 */

import type { App } from '@slack/bolt';
import type { AwsAccess } from '../aws/access.js';
import { InputError } from '../core/errors.js';
import { LogField } from '../core/log.js';
import { RuleLoadFailure } from '../detect/ruleset.js';
import type { GeoLookup } from '../geo/lookup.js';
import { workerConnection } from '../queue/redis.js';
import type { ResponseDeps } from '../respond/deps.js';
import { cloudTrailLookup } from './aws-lookup.js';
import { createHuntQueue, createHuntWorker } from './jobs.js';
import type { LookupFn } from './live.js';
import { DEFAULT_HUNTS_DIR, loadHunts } from './load.js';
import { registerHunt } from './slack.js';

export interface HuntSideSetup {
  redisUrl: string;
  response: ResponseDeps;
  aws?: AwsAccess;
  geo?: GeoLookup;
  huntsDir?: string;
}

export function startHuntSide(app: App, setup: HuntSideSetup): { close(): Promise<void> } {
  const hunts = loadHunts([setup.huntsDir ?? DEFAULT_HUNTS_DIR]);
  if (hunts.errors.length > 0) throw new RuleLoadFailure(hunts.errors);

  const queueRedis = workerConnection(setup.redisUrl);
  const workerRedis = workerConnection(setup.redisUrl);
  const queue = createHuntQueue(queueRedis, setup.response.prefix);
  queue.on('error', (err) => setup.response.log.warn('hunts queue error', { [LogField.error]: err }));
  registerHunt(app, { response: setup.response, hunts, queue });
  const lookup = setup.aws ? cloudTrailLookup(setup.aws) : noAwsLookup;
  const worker = createHuntWorker({ response: setup.response, hunts, lookup, ...(setup.geo ? { geo: setup.geo } : {}) }, { connection: workerRedis });

  return {
    close: async () => {
      await worker.close();
      await queue.close();
      queueRedis.disconnect();
      workerRedis.disconnect();
    },
  };
}

const noAwsLookup: LookupFn = () => ({
  [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new InputError('no AWS access configured', { code: 'AWS_NOT_CONFIGURED' })) }),
});
