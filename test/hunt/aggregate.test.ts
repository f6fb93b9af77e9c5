import { describe, expect, it } from 'vitest';
import type { GeoLookup } from '../../src/geo/lookup.js';
import { insideChangeWindow, runHunt } from '../../src/hunt/collect.js';
import { compileHunt, type Hunt } from '../../src/hunt/load.js';
import type { Aggregate, ChangeWindow } from '../../src/hunt/schema.js';
import { expand } from '../../src/hunt/tests.js';
import { huntText } from './hunt-text.js';

const base = compileHunt(huntText(), 'hunts/sample-hunt.yml');
const ALICE = 'arn:aws:iam::111122223333:user/alice';
const BOB = 'arn:aws:iam::111122223333:user/bob';

function withAggregate(aggregate: Partial<Aggregate>, more: Partial<Hunt['spec']> = {}): Hunt {
  return { ...base, spec: { ...base.spec, ...more, aggregate: { by: ['userIdentity.arn'], more_than: 0, ...aggregate } } };
}

function reads(arn: string, count: number, start: string, everyMinutes: number, extra: Record<string, unknown> = {}) {
  return expand({ repeat: count, every: `${everyMinutes}m`, event: { eventName: 'GetSecretValue', eventTime: start, eventID: `${arn}-${start}`, userIdentity: { arn }, ...extra } });
}

describe('thresholds', () => {
  const hunt = withAggregate({ within: '1h', more_than: 20 });

  it('keeps a principal with 21 matches inside an hour and drops one with exactly 20', () => {
    const result = runHunt(hunt, [...reads(ALICE, 21, '2026-12-01T10:00:00Z', 2), ...reads(BOB, 20, '2026-12-01T10:00:00Z', 2)]);
    expect(result.matched).toBe(41);
    expect(result.groups).toEqual([
      {
        key: { 'userIdentity.arn': ALICE },
        count: 21,
        measure: 21,
        first: '2026-12-01T10:00:00.000Z',
        last: '2026-12-01T10:40:00.000Z',
        sample: [0, 1, 2].map((i) => ({ eventTime: new Date(Date.parse('2026-12-01T10:00:00Z') + i * 120_000).toISOString(), eventName: 'GetSecretValue', principal: ALICE, eventID: `${ALICE}-2026-12-01T10:00:00Z-${i}` })),
      },
    ]);
  });

  it('counts a burst that straddles the top of the hour as one burst', () => {
    const result = runHunt(hunt, reads(ALICE, 21, '2026-12-01T10:40:00Z', 2));
    expect(result.groups.map((g) => [g.count, g.measure])).toEqual([[21, 21]]);
  });

  it('measures the peak hour, not the whole window', () => {
    const result = runHunt(hunt, [...reads(ALICE, 15, '2026-12-01T08:00:00Z', 1), ...reads(ALICE, 15, '2026-12-01T11:00:00Z', 1).map((e) => ({ ...e, eventID: `late-${String(e.eventID)}` }))]);
    expect(result.matched).toBe(30);
    expect(result.groups).toEqual([]);
  });

  it('counts distinct values, flattening lists, when distinct is set', () => {
    const fanOut = withAggregate({ distinct: ['requestParameters.secretId', 'requestParameters.names'], more_than: 3 });
    const events = [
      { eventName: 'GetSecretValue', userIdentity: { arn: ALICE }, requestParameters: { secretId: 'a' } },
      { eventName: 'GetSecretValue', userIdentity: { arn: ALICE }, requestParameters: { secretId: 'a' } },
      { eventName: 'GetSecretValue', userIdentity: { arn: ALICE }, requestParameters: { names: ['b', 'c', 'd'] } },
    ];
    expect(runHunt(fanOut, events).groups.map((g) => [g.count, g.measure, g.values])).toEqual([[3, 4, ['a', 'b', 'c', 'd']]]);
    expect(runHunt(fanOut, events.slice(0, 2)).groups).toEqual([]);
  });

  it('finds rare values against a busy parent with at_most and baseline', () => {
    const rare = withAggregate({ by: ['userIdentity.arn', 'awsRegion'], at_most: 2, baseline: { at_least: 10 } });
    const busy = reads(ALICE, 10, '2026-12-01T10:00:00Z', 1, { awsRegion: 'eu-west-1' });
    const odd = reads(ALICE, 2, '2026-12-01T12:00:00Z', 1, { awsRegion: 'me-south-1' });
    const quiet = reads(BOB, 1, '2026-12-01T12:00:00Z', 1, { awsRegion: 'me-south-1' });
    expect(runHunt(rare, [...busy, ...odd, ...quiet]).groups.map((g) => g.key)).toEqual([{ 'userIdentity.arn': ALICE, awsRegion: 'me-south-1' }]);
  });

  it('reports a group only when its earliest match is the first_event', () => {
    const aggregate: Partial<Aggregate> = { by: [['responseElements.accessKey.accessKeyId', 'userIdentity.accessKeyId']], first_event: { eventName: ['CreateAccessKey'] } };
    const created = { ...withAggregate(aggregate), match: () => true };
    const create = { eventID: 'c', eventTime: '2026-12-01T10:00:00Z', eventName: 'CreateAccessKey', responseElements: { accessKey: { accessKeyId: 'AKIA1' } } };
    const use = { eventID: 'u', eventTime: '2026-12-01T10:05:00Z', eventName: 'ListBuckets', userIdentity: { accessKeyId: 'AKIA1' } };
    const usedBefore = { ...use, eventID: 'early', eventTime: '2026-12-01T09:00:00Z' };
    expect(runHunt(created, [use, create]).groups.map((g) => [g.key, g.count])).toEqual([[{ 'responseElements.accessKey.accessKeyId': 'AKIA1' }, 2]]);
    expect(runHunt(created, [use, create, usedBefore]).groups).toEqual([]);
    expect(runHunt(created, [use]).groups).toEqual([]);
  });

  it('reads each eventID once and groups records without the field under -', () => {
    const once = withAggregate({});
    const event = { eventID: 'same', eventName: 'GetSecretValue' };
    const result = runHunt(once, [event, event, { eventName: 'GetSecretValue' }]);
    expect([result.scanned, result.matched]).toEqual([2, 2]);
    expect(result.groups.map((g) => [g.key, g.count])).toEqual([[{ 'userIdentity.arn': '-' }, 2]]);
  });
});

describe('the change window', () => {
  const office: ChangeWindow = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', to: '18:00' };
  const night: ChangeWindow = { days: ['fri'], from: '22:00', to: '02:00' };

  it.each([
    ['2026-12-01T08:00:00Z', office, true],
    ['2026-12-01T17:59:00Z', office, true],
    ['2026-12-01T18:00:00Z', office, false],
    ['2026-12-05T10:00:00Z', office, false],
    ['2026-12-04T23:00:00Z', night, true],
    ['2026-12-05T01:30:00Z', night, true],
    ['2026-12-06T01:30:00Z', night, false],
    ['2026-12-04T01:30:00Z', night, false],
  ] as const)('%s inside %o is %s', (time, window, inside) => {
    expect(insideChangeWindow(Date.parse(time), window)).toBe(inside);
  });

  it('drops matches made inside the window before counting', () => {
    const hunt = withAggregate({}, { outside_change_window: office });
    const result = runHunt(hunt, [
      { eventID: '1', eventName: 'GetSecretValue', eventTime: '2026-12-01T09:00:00Z', userIdentity: { arn: ALICE } },
      { eventID: '2', eventName: 'GetSecretValue', eventTime: '2026-12-01T21:00:00Z', userIdentity: { arn: BOB } },
    ]);
    expect([result.matched, result.groups.map((g) => g.key['userIdentity.arn'])]).toEqual([1, [BOB]]);
  });
});

describe('geo', () => {
  const geo: GeoLookup = { lookup: (ip) => (ip === '10.0.0.1' ? { ip, special: 'private' } : { ip, country: ip.startsWith('198.') ? 'US' : 'NL', asn: ip.startsWith('198.') ? 64501 : 64502 }) };
  const hunt = withAggregate({ by: ['userIdentity.accessKeyId'], distinct: 'picket_geo.asn', more_than: 1 }, { geo: true });
  const events = [
    { eventID: 'a', eventName: 'GetSecretValue', sourceIPAddress: '198.51.100.1', userIdentity: { accessKeyId: 'AKIA1' } },
    { eventID: 'b', eventName: 'GetSecretValue', sourceIPAddress: '203.0.113.1', userIdentity: { accessKeyId: 'AKIA1' } },
    { eventID: 'c', eventName: 'GetSecretValue', sourceIPAddress: '10.0.0.1', userIdentity: { accessKeyId: 'AKIA1' } },
  ];

  it('adds ASN and country under picket_geo before grouping', () => {
    const result = runHunt(hunt, events, { geo });
    expect(result.groups.map((g) => [g.count, g.measure, g.values])).toEqual([[3, 2, ['64501', '64502']]]);
    expect(result.notes).toEqual([]);
  });

  it('says so when the hunt wants geo and none is given', () => {
    const result = runHunt(hunt, events);
    expect(result.groups).toEqual([]);
    expect(result.notes).toEqual(['no geo database: picket_geo fields are empty']);
  });
});
