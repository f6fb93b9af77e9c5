import { errorMessage } from '../core/errors.js';
import { isObject, obj, str, type JsonObject } from '../core/json.js';
import type { Envelope, ItemKind, ItemOrigin, ReadItem, Wrapper } from '../model/item.js';
import { camelizeKeys, looksPascalFinding } from './casing.js';

/**
 * Turns one parsed JSON value into items, unwrapping every wrapper GuardDuty
 * findings and CloudTrail records really arrive in. Each leaf ends as exactly
 * one item: ok, ignored (with a reason) or rejected (with a reason).
 */

const MAX_DEPTH = 6;
const CLOUDTRAIL_DETAIL_TYPES = new Set([
  'AWS API Call via CloudTrail',
  'AWS Console Sign In via CloudTrail',
  'AWS Service Event via CloudTrail',
  'AWS Insight via CloudTrail',
  'AWS Console Action via CloudTrail',
]);

export interface ClassifyState {
  file: string;
  next: number;
  items: ReadItem[];
  /** Items beyond MAX_ITEMS are not kept one by one; this counts them. */
  overflow?: number;
}

/**
 * One input yields at most this many items, the last of them saying what was
 * cut. A 60 KB gzip of `[0,0,0,…]` is tens of millions of junk items; past the
 * cap the rest are counted and the whole input is kept with one rejection.
 */
export const MAX_ITEMS = 100_000;

/** Deeper documents are rejected before anything walks them recursively. */
export const MAX_DOC_DEPTH = 64;

export function classify(value: unknown, state: ClassifyState, wrapper: Wrapper, depth = 0): void {
  if (depth > MAX_DEPTH) return reject(state, wrapper, 'wrappers nested too deeply', value);
  if (Array.isArray(value)) {
    // A bare array of CloudTrail records is a log file too (exports and tools
    // write them so): one batch, like {"Records": [...]}.
    const inner = value.length > 0 && value.every(isCloudTrailLike) ? 'cloudtrail-log' : wrapper;
    for (const element of value) classify(element, state, inner, depth + 1);
    return;
  }
  if (!isObject(value)) return reject(state, wrapper, `expected a JSON object, got ${describe(value)}`, value);
  classifyObject(value, state, wrapper, depth);
}

function classifyObject(value: JsonObject, state: ClassifyState, wrapper: Wrapper, depth: number): void {
  if (Array.isArray(value.Records)) return classifyRecords(value.Records, state, depth);
  if (Array.isArray(value.Findings)) return classify(value.Findings, state, 'get-findings', depth + 1);
  if (Array.isArray(value.findings)) return classify(value.findings, state, 's3-export', depth + 1);
  if (isSnsNotification(value)) return unwrapString(value.Message, state, 'sns', depth, 'SNS Message');
  if (isSnsControl(value)) {
    const topic = str(value.TopicArn) ?? 'an unnamed topic';
    return ignore(state, 'sns', `SNS ${str(value.Type)} for ${topic}: nothing to triage`, value);
  }
  if ('detail-type' in value || ('detail' in value && 'source' in value)) {
    return classifyEnvelope(value, state, wrapper, depth);
  }
  if (isCloudTrailRecord(value)) {
    return ok(state, 'cloudtrail', wrapper === 'cloudtrail-log' ? wrapper : 'cloudtrail-record', value);
  }
  classifyFinding(value, state, wrapper);
}

function classifyRecords(records: unknown[], state: ClassifyState, depth: number): void {
  for (const record of records) {
    if (isObject(record) && isObject(record.Sns)) {
      unwrapString(record.Sns.Message, state, 'sns', depth, 'SNS Message');
    } else if (isObject(record) && str(record.eventSource) === 'aws:sqs') {
      unwrapString(record.body, state, 'sqs', depth, 'SQS body');
    } else if (isObject(record) && str(record.eventSource)?.startsWith('aws:')) {
      // S3, DynamoDB, Kinesis... notifications share CloudTrail's field names but are not audit records.
      ignore(state, 'unknown', `'${str(record.eventSource)}' event notification, not a CloudTrail record`, record);
    } else {
      classify(record, state, 'cloudtrail-log', depth + 1);
    }
  }
}

/** SNS and SQS carry the event as a JSON string. */
function unwrapString(text: unknown, state: ClassifyState, wrapper: Wrapper, depth: number, what: string): void {
  if (typeof text !== 'string') return reject(state, wrapper, `${what} is not a string`, text);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return reject(state, wrapper, `${what} is not JSON: ${errorMessage(err)}`, text);
  }
  classify(parsed, state, wrapper, depth + 1);
}

function classifyEnvelope(event: JsonObject, state: ClassifyState, outer: Wrapper, depth: number): void {
  const detailType = str(event['detail-type']) ?? '';
  const source = str(event.source) ?? '';
  const detail = event.detail;
  const envelope: Envelope = {
    id: str(event.id),
    account: str(event.account),
    region: str(event.region),
    time: str(event.time),
    detailType,
  };
  // An envelope that came through SNS or SQS keeps that name: it tells the operator the route.
  const wrapper: Wrapper = outer === 'sns' || outer === 'sqs' ? outer : 'eventbridge';

  if (!isObject(detail)) return reject(state, wrapper, `EventBridge event '${detailType}' has no detail object`, event);
  if (detailType === 'GuardDuty Finding') return classifyFinding(detail, state, wrapper, envelope);
  if (detailType === 'GuardDuty Malware Protection Object Scan Result') {
    return classifyScan(detail, state, wrapper, envelope);
  }
  if (CLOUDTRAIL_DETAIL_TYPES.has(detailType)) return ok(state, 'cloudtrail', wrapper, detail, envelope);
  if (source === 'aws.guardduty') {
    return ignore(state, wrapper, `GuardDuty event '${detailType}' is not a finding`, event);
  }
  const what = `source '${source}', detail-type '${detailType}'`;
  ignore(state, wrapper, `not a GuardDuty or CloudTrail event (${what})`, event);
}

function classifyScan(detail: JsonObject, state: ClassifyState, wrapper: Wrapper, envelope: Envelope): void {
  const status = str(detail.scanStatus) ?? 'unknown';
  const result = str(detail, 'scanResultDetails.scanResultStatus') ?? 'unknown';
  if (result === 'THREATS_FOUND') return ok(state, 'malware-scan', wrapper, detail, envelope);
  if (result === 'NO_THREATS_FOUND') {
    return ignore(state, wrapper, 'Malware Protection scan result is clean (NO_THREATS_FOUND)', detail);
  }
  const what = `scanStatus ${status}, result ${result}`;
  ignore(state, wrapper, `Malware Protection scan did not report threats (${what})`, detail);
}

function classifyFinding(value: JsonObject, state: ClassifyState, wrapper: Wrapper, envelope?: Envelope): void {
  if (deeperThan(value, MAX_DOC_DEPTH)) {
    return reject(state, findingWrapper(false, wrapper), `document nested deeper than ${MAX_DOC_DEPTH} levels`, undefined);
  }
  const pascal = looksPascalFinding(value);
  const doc = (pascal ? obj(camelizeKeys(value)) : undefined) ?? value;
  const finalWrapper = findingWrapper(pascal, wrapper);

  const missing = ['id', 'type'].filter((key) => str(doc[key]) === undefined);
  if (missing.length === 0) return ok(state, 'guardduty-finding', finalWrapper, doc, envelope);
  if (looksLikeFinding(doc)) {
    return reject(state, finalWrapper, `GuardDuty finding fragment: missing ${missing.join(' and ')}`, value);
  }
  const keys = Object.keys(value).slice(0, 6).join(', ') || 'none';
  reject(state, finalWrapper, `not a GuardDuty finding, EventBridge event or CloudTrail record (keys: ${keys})`, value);
}

/** PascalCase outside an envelope is SDK/CLI output; a bare finding with no wrapper is just a finding. */
function findingWrapper(pascal: boolean, wrapper: Wrapper): Wrapper {
  if (pascal && wrapper !== 'eventbridge') return 'get-findings';
  return wrapper === 'unknown' ? 'finding' : wrapper;
}

/**
 * The SNS message itself, as an SQS queue subscribed without raw delivery or
 * an HTTPS subscription receives it: the event is again a JSON string.
 */
function isSnsNotification(value: JsonObject): boolean {
  return value.Type === 'Notification' && typeof value.Message === 'string' && 'TopicArn' in value;
}

function isSnsControl(value: JsonObject): boolean {
  return (value.Type === 'SubscriptionConfirmation' || value.Type === 'UnsubscribeConfirmation') && 'TopicArn' in value;
}

function looksLikeFinding(doc: JsonObject): boolean {
  return ['schemaVersion', 'resource', 'service', 'severity', 'title'].some((key) => key in doc);
}

function isCloudTrailLike(value: unknown): boolean {
  return isObject(value) && isCloudTrailRecord(value);
}

function isCloudTrailRecord(value: JsonObject): boolean {
  const named = typeof value.eventName === 'string' && typeof value.eventSource === 'string';
  if (named) return 'eventTime' in value || 'eventVersion' in value;
  return value.eventType === 'AwsCloudTrailInsight' && isObject(value.insightDetails);
}

function origin(state: ClassifyState, wrapper: Wrapper): ItemOrigin {
  return { file: state.file, index: state.next++, wrapper };
}

function ok(state: ClassifyState, kind: ItemKind, wrapper: Wrapper, doc: JsonObject, envelope?: Envelope): void {
  if (full(state)) return;
  if (deeperThan(doc, MAX_DOC_DEPTH)) {
    return reject(state, wrapper, `document nested deeper than ${MAX_DOC_DEPTH} levels`, undefined);
  }
  const item = { status: 'ok' as const, kind, origin: origin(state, wrapper), doc };
  state.items.push(envelope ? { ...item, envelope } : item);
}

function ignore(state: ClassifyState, wrapper: Wrapper, reason: string, doc: unknown): void {
  if (full(state)) return;
  state.items.push({ status: 'ignored', origin: origin(state, wrapper), reason, doc });
}

export function reject(state: ClassifyState, wrapper: Wrapper, reason: string, doc: unknown): void {
  if (full(state)) return;
  state.items.push({ status: 'rejected', origin: origin(state, wrapper), reason, doc });
}

function full(state: ClassifyState): boolean {
  if (state.items.length < MAX_ITEMS - 1) return false;
  state.overflow = (state.overflow ?? 0) + 1;
  return true;
}

/** Iterative, so the check itself cannot overflow the stack it protects. */
export function deeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (typeof current !== 'object' || current === null) continue;
    if (depth > limit) return true;
    for (const inner of Object.values(current)) {
      if (typeof inner === 'object' && inner !== null) stack.push([inner, depth + 1]);
    }
  }
  return false;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  return typeof value;
}
