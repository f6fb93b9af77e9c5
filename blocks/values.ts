/**
 * Display helpers for the trusted-shape parts of a Signal (numbers, labels,
 * timestamps). They return undefined rather than a placeholder so a card never
 * prints "undefined" or "NaN" when a field is missing or malformed.
 */
import { severityLabel, type SeverityLabel } from '../src/model/signal.js';
import { code } from './escape.js';

const LABELS: readonly SeverityLabel[] = ['Informational', 'Low', 'Medium', 'High', 'Critical'];

/** One glyph per band, so severity reads at a glance even in a notification. */
const MARKERS: Record<SeverityLabel, string> = {
  Critical: '🔴',
  High: '🟠',
  Medium: '🟡',
  Low: '🔵',
  Informational: '⚪',
};

export function finiteNumber(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** The label as given when it is one we know, else derived from the number. */
export function labelFor(label: unknown, severity: unknown): SeverityLabel {
  if (typeof label === 'string' && (LABELS as readonly string[]).includes(label)) return label as SeverityLabel;
  return severityLabel(finiteNumber(severity) ?? 0);
}

export function severityMarker(label: SeverityLabel): string {
  return MARKERS[label];
}

/** `🟠 High 8.0`, or `🟠 High` when the number is unusable. */
export function severityText(label: SeverityLabel, severity: unknown): string {
  const n = finiteNumber(severity);
  const number = n === undefined ? '' : ` ${n.toFixed(1)}`;
  return `${MARKERS[label]} ${label}${number}`;
}

/** `2026-12-04 15:36:00 UTC` for a parseable timestamp, the raw value in code otherwise. */
export function timeText(v: unknown): string | undefined {
  if (typeof v !== 'string' || v.trim() === '') return undefined;
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) return code(v, 60);
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC');
}

/** Grouped digits for counts; undefined for anything that is not a finite number. */
export function countText(v: unknown): string | undefined {
  const n = finiteNumber(v);
  return n === undefined ? undefined : Math.trunc(n).toLocaleString('en-US');
}

/** Human names for the GuardDuty resource types; unknown types are shown verbatim. */
const RESOURCE_NAMES: Record<string, string> = {
  Instance: 'EC2 instance',
  AccessKey: 'IAM access key',
  S3Bucket: 'S3 bucket',
  S3Object: 'S3 object',
  S3_OBJECT: 'S3 object',
  EKSCluster: 'EKS cluster',
  ECSCluster: 'ECS cluster',
  Container: 'Container',
  RDSDBInstance: 'RDS DB instance',
  RDSLimitlessDB: 'RDS Limitless database',
  Lambda: 'Lambda function',
  AttackSequence: 'Attack sequence',
  EBSSnapshot: 'EBS snapshot',
  EBSVolume: 'EBS volume',
  EC2Image: 'EC2 image',
  RecoveryPoint: 'Backup recovery point',
  EC2NetworkInterface: 'EC2 network interface',
  // Resources named in CloudTrail records.
  SecurityGroup: 'Security group',
  IAMUser: 'IAM user',
  IAMRole: 'IAM role',
  IAMPolicy: 'IAM policy',
  GuardDutyDetector: 'GuardDuty detector',
  Secret: 'Secrets Manager secret',
  AMI: 'AMI',
  RDSSnapshot: 'RDS snapshot',
  KMSKey: 'KMS key',
  CloudTrailTrail: 'CloudTrail trail',
  ConfigRecorder: 'Config recorder',
  SSMParameter: 'SSM parameter',
  LightsailInstance: 'Lightsail instance',
  ResolverQueryLogConfig: 'Resolver query log config',
  AWSAccount: 'AWS account',
};

export function resourceName(type: unknown): string | undefined {
  if (typeof type !== 'string') return undefined;
  return Object.hasOwn(RESOURCE_NAMES, type) ? RESOURCE_NAMES[type] : undefined;
}

/** Long-term IAM user keys start with AKIA; temporary STS keys with ASIA. */
export const LONG_TERM_KEY = /^AKIA[A-Z0-9]{12,124}$/;
export const TEMPORARY_KEY = /^ASIA[A-Z0-9]{12,124}$/;

const SOURCE_NAMES: Record<string, string> = {
  guardduty: 'GuardDuty',
  'malware-scan': 'GuardDuty Malware Protection scan',
  cloudtrail: 'CloudTrail',
};

export function sourceName(source: unknown): string {
  return typeof source === 'string' && Object.hasOwn(SOURCE_NAMES, source)
    ? (SOURCE_NAMES[source] ?? 'Unknown source')
    : 'Unknown source';
}
