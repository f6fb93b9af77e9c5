import { isIP } from 'node:net';
import { InputError } from '../core/errors.js';
import { first, obj, str, type JsonObject } from '../core/json.js';
import { parseTimestamp } from '../core/time.js';
import { dropUndefined } from './guardduty-parts.js';
import { partitionOf } from './normalize-partition.js';
import type { Actor, Remote, ResourceRef, Signal } from './signal.js';

/**
 * A CloudTrail record as a Signal. Its title and severity come from the rule
 * that fires; until then it carries neutral values.
 */
export function cloudTrailSignal(doc: JsonObject): Signal {
  // An Insights event names the API it is about inside insightDetails.
  const insight = obj(doc.insightDetails);
  const eventName = str(doc.eventName) ?? str(insight?.eventName);
  const eventSource = str(doc.eventSource) ?? str(insight?.eventSource);
  if (!eventName || !eventSource) throw new InputError('CloudTrail record without eventName or eventSource');

  const time = parseTimestamp(doc.eventTime);
  const insightTitle = insight ? `${str(insight.insightType) ?? 'Insight'} ${str(insight.state) ?? ''}`.trim() : undefined;
  return {
    source: 'cloudtrail',
    id: str(doc.eventID) ?? `${eventSource}:${eventName}:${time ?? 'unknown-time'}`,
    type: `${eventSource}:${eventName}`,
    title: insightTitle ? `${insightTitle}: ${eventName} (${eventSource})` : `${eventName} (${eventSource})`,
    accountId: first(str(doc.recipientAccountId), str(doc, 'userIdentity.accountId')),
    region: str(doc.awsRegion),
    partition: partitionOf([str(doc, 'userIdentity.arn'), str(doc, 'resources.0.ARN')], str(doc.awsRegion)),
    severity: 0,
    severityLabel: 'Informational',
    firstSeen: time,
    lastSeen: time,
    updatedAt: time,
    count: 1,
    sample: false,
    archived: false,
    resource: cloudTrailResource(doc),
    actor: cloudTrailActor(doc),
    remotes: cloudTrailRemotes(doc),
    action: eventName,
    api: eventName,
    serviceName: eventSource,
    errorCode: str(doc.errorCode),
    doc,
  };
}

function cloudTrailActor(doc: JsonObject): Actor | undefined {
  const identity = obj(doc.userIdentity);
  if (!identity) return undefined;
  const type = str(identity.type);
  const arn = str(identity.arn);
  const issuer = obj(identity, 'sessionContext.sessionIssuer');
  const actor: Actor = {
    type,
    userName: str(identity.userName) ?? str(issuer?.userName) ?? (type === 'Root' ? 'root' : undefined),
    principalId: str(identity.principalId),
    arn,
    accessKeyId: str(identity.accessKeyId),
    accountId: str(identity.accountId),
  };
  if (type === 'AssumedRole') {
    actor.roleName = str(issuer?.userName);
    actor.sessionName = arn?.split('/').pop();
  }
  return dropUndefined(actor);
}

/** sourceIPAddress is an IP, a service principal (`config.amazonaws.com`) or "AWS Internal". */
function cloudTrailRemotes(doc: JsonObject): Remote[] {
  const source = str(doc.sourceIPAddress);
  if (!source) return [];
  const userAgent = str(doc.userAgent);
  const remote: Remote = isIP(source) !== 0 ? { ip: source } : { domain: source };
  return [dropUndefined({ ...remote, userAgent })];
}

/** The most telling request parameter names the resource. */
const RESOURCE_KEYS: [string, string][] = [
  ['bucketName', 'S3Bucket'],
  ['instanceId', 'Instance'],
  ['instancesSet.items.0.instanceId', 'Instance'],
  ['groupId', 'SecurityGroup'],
  ['userName', 'IAMUser'],
  ['roleName', 'IAMRole'],
  ['policyArn', 'IAMPolicy'],
  ['detectorId', 'GuardDutyDetector'],
  ['secretId', 'Secret'],
  ['snapshotId', 'EBSSnapshot'],
  ['imageId', 'AMI'],
  ['dBSnapshotIdentifier', 'RDSSnapshot'],
  ['dBInstanceIdentifier', 'RDSDBInstance'],
  ['functionName', 'Lambda'],
  ['clusterName', 'EKSCluster'],
  ['name', 'Resource'],
  ['keyId', 'KMSKey'],
];

/** A bare `name` parameter means the service's own kind of resource. */
const NAMED_BY_SERVICE: Record<string, string> = {
  cloudtrail: 'CloudTrailTrail',
  config: 'ConfigRecorder',
  eks: 'EKSCluster',
  ssm: 'SSMParameter',
  lightsail: 'LightsailInstance',
  'route53resolver': 'ResolverQueryLogConfig',
};

function namedResourceType(service: string): string {
  return NAMED_BY_SERVICE[service] ?? (service ? `${service} resource` : 'Resource');
}

function cloudTrailResource(doc: JsonObject): ResourceRef {
  const params = obj(doc.requestParameters);
  const service = (str(doc.eventSource) ?? '').replace('.amazonaws.com', '');
  for (const [path, type] of RESOURCE_KEYS) {
    const id = params ? str(params, path) : undefined;
    if (id) return { type: type === 'Resource' ? namedResourceType(service) : type, id, detail: service || undefined };
  }
  const resource = obj(doc, 'resources.0');
  const arn = str(resource?.ARN) ?? str(resource?.arn);
  return dropUndefined({ type: str(resource?.type) ?? 'AWSAccount', id: arn ?? first(str(doc.recipientAccountId)), detail: service || undefined });
}
