/** Builders shared by the enrichment tests: signals, deps, a capturing logger, AWS access without any credential lookup. */
import { readFileSync } from 'node:fs';
import { AwsAccess } from '../../src/aws/access.js';
import type { Clock } from '../../src/aws/clock.js';
import { createLogger, type Logger } from '../../src/core/log.js';
import type { EnrichDeps } from '../../src/enrich/types.js';
import type { GeoInfo, GeoLookup } from '../../src/geo/lookup.js';
import { IntelStore } from '../../src/intel/store.js';
import { guardDutySignal } from '../../src/model/normalize.js';
import type { Signal } from '../../src/model/signal.js';

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';

export function fixtureSignal(name = 'access-key-finding.json'): Signal {
  const doc: unknown = JSON.parse(readFileSync(new URL(`../fixtures/enrich/${name}`, import.meta.url), 'utf8'));
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new Error('fixture is not an object');
  return guardDutySignal(doc as Record<string, unknown>);
}

export function baseSignal(extra: Partial<Signal> = {}): Signal {
  return {
    source: 'guardduty', id: 'sig-1', type: 'Recon:IAMUser/MaliciousIPCaller', title: 'API called from a known malicious IP',
    accountId: ACCOUNT, region: REGION, partition: 'aws', severity: 5, severityLabel: 'Medium',
    firstSeen: '2024-05-01T10:00:00.000Z', lastSeen: '2024-05-01T10:15:00.000Z', count: 1, sample: false, archived: false,
    resource: { type: 'AccessKey' }, remotes: [], doc: {}, ...extra,
  };
}

export interface CapturedLog {
  log: Logger;
  lines: Record<string, unknown>[];
}

export function captureLogger(): CapturedLog {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({ level: 'debug', write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { log, lines };
}

/** A geo stand-in with fixed answers, so provider tests do not depend on database updates. */
export function fixedGeo(answers: Record<string, Omit<GeoInfo, 'ip'>>): GeoLookup {
  return { lookup: (ip) => (answers[ip] ? { ip, ...answers[ip] } : { ip }) };
}

export const STATIC_CREDENTIALS = { accessKeyId: 'AKIATESTTESTTEST0000', secretAccessKey: 'test-secret' };

export function testAccess(log: Logger, clock?: Clock): AwsAccess {
  return new AwsAccess({ accounts: [{ accountId: ACCOUNT }], log, clock, staticCredentials: STATIC_CREDENTIALS });
}

/** A clock whose sleeps return at once and are recorded; time moves by the slept amount. */
export function instantClock(start = 0): Clock & { sleeps: number[] } {
  let t = start;
  const sleeps: number[] = [];
  return { sleeps, now: () => t, sleep: async (ms) => { sleeps.push(ms); t += ms; } };
}

export function testDeps(extra: Partial<EnrichDeps> = {}): EnrichDeps {
  const { log } = captureLogger();
  return { intel: new IntelStore(), geo: fixedGeo({}), log, ...extra };
}
