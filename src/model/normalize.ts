import { createHash } from 'node:crypto';
import { InputError } from '../core/errors.js';
import { arr, bool, first, num, obj, str, type JsonObject } from '../core/json.js';
import { parseTimestamp } from '../core/time.js';
import type { Envelope, OkItem } from './item.js';
import { cloudTrailSignal } from './normalize-cloudtrail.js';
import { partitionOf } from './normalize-partition.js';
import {
  dropUndefined, isSample, readActor, readApi, readProcess, readRemotes, readResource, timestamps,
} from './guardduty-parts.js';
import { severityLabel, type Signal } from './signal.js';

/**
 * Turns a read item into the one internal model. Throws InputError only for
 * items that can never become a Signal; everything merely odd is tolerated.
 */
export function normalize(item: OkItem): Signal {
  switch (item.kind) {
    case 'guardduty-finding':
      return guardDutySignal(item.doc, item.envelope);
    case 'malware-scan':
      return malwareScanSignal(item.doc, item.envelope);
    case 'cloudtrail':
      return cloudTrailSignal(item.doc);
  }
}

export function guardDutySignal(doc: JsonObject, envelope?: Envelope): Signal {
  const id = str(doc.id);
  const type = str(doc.type);
  if (!id || !type) throw new InputError('GuardDuty finding without id or type');

  const severity = inRange(num(doc.severity)) ?? severityFromLabel(str(doc.severity)) ?? 0;
  const arn = str(doc.arn);
  const accountId = first(str(doc.accountId), arnAccount(arn), envelope?.account);
  return {
    source: 'guardduty',
    id,
    type,
    title: str(doc.title) ?? type,
    description: str(doc.description),
    accountId,
    region: first(str(doc.region), arnRegion(arn), envelope?.region),
    partition: str(doc.partition) ?? partitionOf([arn], first(str(doc.region), arnRegion(arn), envelope?.region)),
    arn,
    detectorId: str(doc, 'service.detectorId'),
    severity,
    severityLabel: severityLabel(severity),
    ...timestamps(doc),
    count: Math.max(1, Math.trunc(num(doc, 'service.count') ?? 1)),
    sample: isSample(doc),
    archived: bool(doc, 'service.archived'),
    resource: dropUndefined(readResource(doc)),
    actor: optional(readActor(doc)),
    remotes: readRemotes(doc),
    action: str(doc, 'service.action.actionType'),
    ...dropUndefined(readApi(doc)),
    process: readProcess(doc),
    doc,
  };
}

/** GuardDuty severities run from 0 to 10; anything else is treated as missing, not shown. */
function inRange(value: number | undefined): number | undefined {
  return value !== undefined && value >= 0 && value <= 10 ? value : undefined;
}

/** Some exporters write the label instead of the number. */
function severityFromLabel(label: string | undefined): number | undefined {
  const table: Record<string, number> = { LOW: 2, MEDIUM: 5, HIGH: 8, CRITICAL: 9 };
  return label ? table[label.toUpperCase()] : undefined;
}

function arnAccount(arn: string | undefined): string | undefined {
  const account = arn?.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

function arnRegion(arn: string | undefined): string | undefined {
  return arn?.split(':')[3] || undefined;
}

function optional<T extends object>(value: T | undefined): T | undefined {
  if (!value) return undefined;
  const cleaned = dropUndefined(value);
  return Object.keys(cleaned).length > 0 ? cleaned : undefined;
}

/**
 * A Malware Protection for S3 scan that found threats. It is not a GuardDuty
 * finding, so its identity is the scanned object version: a re-delivered scan
 * result of the same object lands on the same card.
 */
export function malwareScanSignal(doc: JsonObject, envelope?: Envelope): Signal {
  const bucket = str(doc, 's3ObjectDetails.bucketName') ?? 'unknown bucket';
  const key = str(doc, 's3ObjectDetails.objectKey') ?? 'unknown object';
  const version = str(doc, 's3ObjectDetails.versionId') ?? str(doc, 's3ObjectDetails.eTag') ?? '';
  const threats = arr(doc, 'scanResultDetails.threats').map((t) => str(t, 'name')).filter((n): n is string => !!n);
  const time = parseTimestamp(envelope?.time);
  const id = 'scan-' + createHash('sha256').update([bucket, key, version].join('\u0000')).digest('hex').slice(0, 32);

  return {
    source: 'malware-scan',
    id,
    type: 'Object:S3/MaliciousFile',
    title: `Malware found in S3 object: ${threats.join(', ') || 'unnamed threat'}`,
    description: `GuardDuty Malware Protection for S3 scanned s3://${bucket}/${key} and found ${threats.length || 'a'} threat(s).`,
    accountId: envelope?.account,
    region: envelope?.region,
    partition: partitionOf([], envelope?.region),
    severity: 8,
    severityLabel: 'High',
    firstSeen: time,
    lastSeen: time,
    updatedAt: time,
    count: 1,
    sample: false,
    archived: false,
    resource: dropUndefined({ type: 'S3Object', id: `${bucket}/${key}`, detail: version ? `version ${version}` : undefined }),
    remotes: [],
    doc,
  };
}
