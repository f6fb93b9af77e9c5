import { arr, bool, num, obj, str, type JsonObject } from '../core/json.js';
import { parseTimestamp } from '../core/time.js';
import { sequenceActor, sequenceRemotes, sequenceResource } from './normalize-sequence.js';
import type { Actor, ProcessInfo, Remote, ResourceRef } from './signal.js';

/**
 * Readers for the parts of a camelCase GuardDuty finding. Each tolerates the
 * part being missing, null, empty or oddly typed, as real findings are.
 */

export function readResource(finding: JsonObject): ResourceRef {
  const resource = obj(finding.resource);
  const type = str(resource?.resourceType) ?? 'Unknown';
  // The type is untrusted: 'constructor' or 'toString' must not find Object.prototype members.
  const reader = Object.hasOwn(RESOURCE_READERS, type) ? RESOURCE_READERS[type] : undefined;
  if (type === 'AttackSequence') return { type, ...sequenceResource(finding) };
  const found = resource && reader ? reader(resource) : undefined;
  return { type, ...(found ?? fallbackResource(resource)) };
}

type PartialResource = Omit<ResourceRef, 'type'>;

const RESOURCE_READERS: Record<string, (r: JsonObject) => PartialResource> = {
  Instance: (r) => ({
    id: str(r, 'instanceDetails.instanceId'),
    detail: joinDefined([str(r, 'instanceDetails.instanceType'), str(r, 'instanceDetails.instanceState')]),
    tags: readTags(obj(r.instanceDetails)?.tags),
  }),
  AccessKey: (r) => ({
    id: str(r, 'accessKeyDetails.accessKeyId'),
    detail: joinDefined([str(r, 'accessKeyDetails.userType'), str(r, 'accessKeyDetails.userName')]),
  }),
  S3Bucket: (r) => readBuckets(arr(r.s3BucketDetails)),
  EKSCluster: (r) => ({
    id: str(r, 'eksClusterDetails.name') ?? str(r, 'eksClusterDetails.arn'),
    detail: joinDefined([str(r, 'kubernetesDetails.kubernetesWorkloadDetails.namespace'), str(r, 'kubernetesDetails.kubernetesWorkloadDetails.name')]),
    tags: readTags(obj(r.eksClusterDetails)?.tags),
  }),
  ECSCluster: (r) => ({
    id: str(r, 'ecsClusterDetails.name') ?? str(r, 'ecsClusterDetails.arn'),
    detail: str(r, 'ecsClusterDetails.taskDetails.definitionArn'),
    tags: readTags(obj(r.ecsClusterDetails)?.tags),
  }),
  Container: (r) => ({
    id: str(r, 'containerDetails.name') ?? str(r, 'containerDetails.id'),
    detail: str(r, 'containerDetails.image'),
  }),
  RDSDBInstance: (r) => ({
    id: str(r, 'rdsDbInstanceDetails.dbInstanceIdentifier') ?? str(r, 'rdsDbInstanceDetails.dbClusterIdentifier'),
    detail: joinDefined([str(r, 'rdsDbInstanceDetails.engine'), str(r, 'rdsDbInstanceDetails.engineVersion')]),
    tags: readTags(obj(r.rdsDbInstanceDetails)?.tags),
  }),
  RDSLimitlessDB: (r) => ({
    id: str(r, 'rdsLimitlessDbDetails.dbShardGroupIdentifier') ?? str(r, 'rdsLimitlessDbDetails.dbClusterIdentifier'),
    detail: str(r, 'rdsLimitlessDbDetails.engine'),
  }),
  Lambda: (r) => ({
    id: str(r, 'lambdaDetails.functionName') ?? str(r, 'lambdaDetails.functionArn'),
    detail: joinDefined([str(r, 'lambdaDetails.runtime'), str(r, 'lambdaDetails.role')]),
    tags: readTags(obj(r.lambdaDetails)?.tags),
  }),
  EC2NetworkInterface: (r) => ({ id: str(r, 'ec2NetworkInterfaceUids.0') }),
  EBSSnapshot: (r) => ({ id: str(r, 'ebsSnapshotDetails.snapshotArn') }),
  EC2Image: (r) => ({ id: str(r, 'ec2ImageDetails.imageArn') }),
  RecoveryPoint: (r) => ({ id: str(r, 'recoveryPointDetails.recoveryPointArn'), detail: str(r, 'recoveryPointDetails.backupVaultName') }),
};

function readBuckets(buckets: unknown[]): PartialResource {
  const names = buckets.map((b) => str(b, 'name') ?? str(b, 'arn')).filter((n): n is string => n !== undefined);
  const firstBucket = buckets[0];
  const more = names.length > 1 ? `and ${names.length - 1} more` : undefined;
  return { id: names[0], detail: joinDefined([str(firstBucket, 'type'), more]), tags: readTags(obj(firstBucket)?.tags) };
}

/** Resource types GuardDuty adds later still show their first identifier. */
function fallbackResource(resource: JsonObject | undefined): PartialResource {
  if (!resource) return {};
  for (const [key, value] of Object.entries(resource)) {
    if (key === 'resourceType' || !key.endsWith('Details')) continue;
    const id = str(value, 'name') ?? str(value, 'arn') ?? str(value, 'id') ?? identifierIn(value);
    if (id) return { id };
  }
  return {};
}

/** The first `…Arn`, `…Id` or `…Identifier` string of a details object. */
function identifierIn(details: unknown): string | undefined {
  const found = obj(details);
  if (!found) return undefined;
  for (const [key, value] of Object.entries(found)) {
    if (/(Arn|Id|Identifier)$/.test(key) && typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

function readTags(value: unknown): Record<string, string> | undefined {
  const tags: Record<string, string> = {};
  for (const tag of arr(value)) {
    const key = str(tag, 'key');
    if (key) tags[key] = str(tag, 'value') ?? '';
  }
  return Object.keys(tags).length > 0 ? tags : undefined;
}

function joinDefined(parts: (string | undefined)[]): string | undefined {
  const kept = parts.filter((p): p is string => p !== undefined);
  return kept.length > 0 ? kept.join(' · ') : undefined;
}

export function readActor(finding: JsonObject): Actor | undefined {
  const key = obj(finding, 'resource.accessKeyDetails');
  if (key) return accessKeyActor(key);
  const kube = obj(finding, 'resource.kubernetesDetails.kubernetesUserDetails');
  if (kube) {
    return { type: 'Kubernetes', userName: str(kube.username), principalId: str(kube.uid), groups: arr(kube.groups).map((g) => str(g)).filter((g): g is string => g !== undefined) };
  }
  const dbUser = obj(finding, 'resource.rdsDbUserDetails');
  if (dbUser) return { type: 'DatabaseUser', userName: str(dbUser.user) };
  const osUser = str(finding, 'service.runtimeDetails.process.user');
  return osUser ? { type: 'OSUser', userName: osUser } : sequenceActor(finding);
}

function accessKeyActor(key: JsonObject): Actor {
  const type = str(key.userType);
  const principalId = str(key.principalId);
  const actor: Actor = { type, userName: str(key.userName), principalId, accessKeyId: str(key.accessKeyId) };
  if (type === 'AssumedRole') {
    actor.roleName = actor.userName;
    const session = principalId?.split(':')[1];
    if (session) actor.sessionName = session;
  }
  return actor;
}

/** Where the remote party lives depends on the action type. */
export function readRemotes(finding: JsonObject): Remote[] {
  const action = obj(finding, 'service.action');
  if (!action) return sequenceRemotes(finding);
  const remotes: Remote[] = [];

  const api = obj(action.awsApiCallAction);
  if (api) remotes.push(withAgent(ipRemote(api.remoteIpDetails, { domain: str(api, 'domainDetails.domain') }), str(api.userAgent)));

  const net = obj(action.networkConnectionAction);
  if (net) {
    remotes.push(ipRemote(net.remoteIpDetails, { port: connectionPort(net), protocol: str(net.protocol) }));
  }
  for (const probe of arr(action, 'portProbeAction.portProbeDetails')) {
    remotes.push(ipRemote(obj(probe)?.remoteIpDetails, { port: num(probe, 'localPortDetails.port') }));
  }
  const dns = obj(action.dnsRequestAction);
  if (dns) remotes.push({ domain: str(dns.domain), protocol: str(dns.protocol) });

  const kube = obj(action.kubernetesApiCallAction);
  if (kube) remotes.push(withAgent(ipRemote(kube.remoteIpDetails, { ip: str(kube, 'sourceIps.0') }), str(kube.userAgent)));

  const rds = obj(action.rdsLoginAttemptAction);
  if (rds) remotes.push(ipRemote(rds.remoteIpDetails, {}));

  return remotes.filter((r) => r.ip !== undefined || r.domain !== undefined);
}

/**
 * The port worth showing is the one on our side for inbound traffic (the
 * service being attacked) and the remote one for outbound (where we called).
 */
function connectionPort(net: JsonObject): number | undefined {
  const local = num(net, 'localPortDetails.port');
  const remote = num(net, 'remotePortDetails.port');
  return str(net.connectionDirection) === 'INBOUND' ? local ?? remote : remote ?? local;
}

function ipRemote(details: unknown, extra: Partial<Remote>): Remote {
  const d = obj(details);
  const remote: Remote = {
    ip: str(d?.ipAddressV4) ?? str(d?.ipAddressV6) ?? extra.ip,
    domain: extra.domain,
    port: extra.port,
    protocol: extra.protocol,
    country: str(d, 'country.countryName'),
    city: str(d, 'city.cityName'),
    asn: validAsn(str(d, 'organization.asn')),
    asnOrg: str(d, 'organization.asnOrg'),
    isp: str(d, 'organization.isp'),
  };
  return dropUndefined(remote);
}

function withAgent(remote: Remote, userAgent: string | undefined): Remote {
  return userAgent ? { ...remote, userAgent } : remote;
}

/** GuardDuty writes "-1" when it has no ASN. */
function validAsn(asn: string | undefined): string | undefined {
  return asn && asn !== '-1' && asn !== '0' ? asn : undefined;
}

export function readProcess(finding: JsonObject): ProcessInfo | undefined {
  const runtime = obj(finding, 'service.runtimeDetails');
  const process = obj(runtime?.process);
  const context = obj(runtime?.context);
  if (!process && !context) return undefined;
  const info: ProcessInfo = {
    name: str(process?.name),
    executablePath: str(process?.executablePath),
    commandLine: str(context?.commandLineExample) ?? str(context?.scriptPath) ?? str(context?.releaseAgentPath),
    pid: num(process?.pid),
    user: str(process?.user),
  };
  const cleaned = dropUndefined(info);
  return Object.keys(cleaned).length > 0 ? cleaned : undefined;
}

export function readApi(finding: JsonObject): { api?: string; serviceName?: string; errorCode?: string } {
  const api = obj(finding, 'service.action.awsApiCallAction');
  const kube = obj(finding, 'service.action.kubernetesApiCallAction');
  if (api) return { api: str(api.api), serviceName: str(api.serviceName), errorCode: str(api.errorCode) };
  if (kube) return { api: joinDefined([str(kube.verb), str(kube.requestUri)]) };
  return {};
}

/** `additionalInfo.sample: true`, or the same flag inside the JSON string `additionalInfo.value`. */
export function isSample(finding: JsonObject): boolean {
  const info = obj(finding, 'service.additionalInfo');
  if (!info) return false;
  if (bool(info.sample)) return true;
  const value = str(info.value);
  if (!value || !value.includes('sample')) return false;
  try {
    return bool(JSON.parse(value), 'sample');
  } catch {
    return false;
  }
}

export function timestamps(finding: JsonObject) {
  return {
    firstSeen: parseTimestamp(obj(finding.service)?.eventFirstSeen),
    lastSeen: parseTimestamp(obj(finding.service)?.eventLastSeen),
    createdAt: parseTimestamp(finding.createdAt),
    updatedAt: parseTimestamp(finding.updatedAt),
  };
}

export function dropUndefined<T extends object>(value: T): T {
  const out = {} as T;
  for (const [key, inner] of Object.entries(value)) {
    if (inner !== undefined) (out as Record<string, unknown>)[key] = inner;
  }
  return out;
}
