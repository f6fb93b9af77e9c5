/**
 * The one internal model every stage after intake works on.
 *
 * A Signal is what a GuardDuty finding, a Malware Protection scan result or a
 * CloudTrail record becomes once normalized. Every field is present or
 * explicitly undefined; nothing downstream has to know which wrapper, casing or
 * timestamp format the item arrived in.
 */

export type SignalSource = 'guardduty' | 'malware-scan' | 'cloudtrail';

export type SeverityLabel = 'Informational' | 'Low' | 'Medium' | 'High' | 'Critical';

/** Who did it: an IAM principal, a Kubernetes user or an OS user. */
export interface Actor {
  /** IAMUser, AssumedRole, Root, FederatedUser, AWSService, Kubernetes, ... verbatim. */
  type?: string;
  userName?: string;
  principalId?: string;
  arn?: string;
  /** Long-term (AKIA) or temporary (ASIA) key id, when the source names one. */
  accessKeyId?: string;
  /** For assumed roles: the role name and the session name. */
  roleName?: string;
  sessionName?: string;
  accountId?: string;
  /** Kubernetes user groups, when the actor is a Kubernetes identity. */
  groups?: string[];
}

/** A remote party seen in the evidence: an IP (v4 or v6) or a domain. */
export interface Remote {
  ip?: string;
  domain?: string;
  port?: number;
  protocol?: string;
  country?: string;
  city?: string;
  asn?: string;
  asnOrg?: string;
  isp?: string;
  userAgent?: string;
}

/** The AWS resource the signal is about. */
export interface ResourceRef {
  /** GuardDuty resourceType verbatim (Instance, AccessKey, S3Bucket, ...) or a CloudTrail-derived one. */
  type: string;
  /** The most specific identifier known: instance id, bucket name, cluster name, ARN... */
  id?: string;
  /** A human-friendly second line: instance type, bucket count, cluster version... */
  detail?: string;
  /** Tags as flat pairs, when the source carries them. */
  tags?: Record<string, string>;
}

/** Runtime findings carry a process; its command line is untrusted text. */
export interface ProcessInfo {
  name?: string;
  executablePath?: string;
  commandLine?: string;
  pid?: number;
  user?: string;
}

export interface Signal {
  source: SignalSource;
  /** Stable identity: GuardDuty finding id, scan id, or CloudTrail eventID. */
  id: string;
  /** Finding type verbatim (even malformed), or the CloudTrail eventSource:eventName. */
  type: string;
  title: string;
  description?: string;

  /** The member account that owns the resource (not an aggregating administrator). */
  accountId?: string;
  region?: string;
  partition: string;
  /** The GuardDuty finding ARN when there is one. */
  arn?: string;
  detectorId?: string;

  severity: number;
  severityLabel: SeverityLabel;

  /** ISO 8601 strings, already normalized from whatever the source used. */
  firstSeen?: string;
  lastSeen?: string;
  createdAt?: string;
  updatedAt?: string;
  count: number;

  sample: boolean;
  archived: boolean;

  resource: ResourceRef;
  actor?: Actor;
  remotes: Remote[];
  /** GuardDuty actionType (AWS_API_CALL, NETWORK_CONNECTION, ...) or the CloudTrail eventName. */
  action?: string;
  /** The API called, for API-call evidence. */
  api?: string;
  serviceName?: string;
  /** The API's error (AccessDenied, ...): a denied call is an attempt, not a change. */
  errorCode?: string;
  process?: ProcessInfo;

  /**
   * The source document in canonical camelCase (GuardDuty) or verbatim (CloudTrail).
   * Detection rules match against this; cards never read it directly.
   */
  doc: Record<string, unknown>;
}

/** Severity bands as GuardDuty documents them: 1.0-3.9 Low ... 9.0-10.0 Critical. */
export function severityLabel(severity: number): SeverityLabel {
  if (!Number.isFinite(severity) || severity < 1) return 'Informational';
  if (severity < 4) return 'Low';
  if (severity < 7) return 'Medium';
  if (severity < 9) return 'High';
  return 'Critical';
}

/** Map a label back to a representative number, for rules that state a level. */
export function severityForLabel(label: SeverityLabel): number {
  switch (label) {
    case 'Informational':
      return 0;
    case 'Low':
      return 2;
    case 'Medium':
      return 5;
    case 'High':
      return 8;
    case 'Critical':
      return 9.5;
  }
}
