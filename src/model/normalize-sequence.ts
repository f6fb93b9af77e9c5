import { arr, num, obj, str, type JsonObject } from '../core/json.js';
import type { Actor, Remote, ResourceRef } from './signal.js';

/**
 * An attack sequence names no resource in `resource`: its resources, actors
 * and endpoints live in `service.detection.sequence` (GuardDuty Extended
 * Threat Detection). These readers lift the first of each into the Signal.
 */

function sequence(finding: JsonObject): JsonObject | undefined {
  return obj(finding, 'service.detection.sequence');
}

export function sequenceResource(finding: JsonObject): Omit<ResourceRef, 'type'> {
  const found = sequence(finding);
  if (!found) return {};
  const resources = arr(found.resources);
  const signals = arr(found.signals);
  const firstResource = resources[0];
  const counts = [
    signals.length > 0 ? `${signals.length} signal${signals.length === 1 ? '' : 's'}` : undefined,
    resources.length > 1 ? `${resources.length} resources` : str(firstResource, 'resourceType'),
  ].filter((part): part is string => part !== undefined);
  return dropEmpty({
    id: str(firstResource, 'name') ?? str(firstResource, 'uid'),
    detail: counts.length > 0 ? counts.join(' · ') : undefined,
  });
}

export function sequenceActor(finding: JsonObject): Actor | undefined {
  const user = obj(arr(sequence(finding)?.actors)[0], 'user');
  if (!user) return undefined;
  const actor = dropEmpty<Actor>({
    type: str(user.type),
    userName: str(user.name),
    principalId: str(user.uid),
    accessKeyId: str(user.credentialUid),
    accountId: str(user, 'account.uid'),
  });
  return Object.keys(actor).length > 0 ? actor : undefined;
}

export function sequenceRemotes(finding: JsonObject): Remote[] {
  return arr(sequence(finding)?.endpoints)
    .map((endpoint) => dropEmpty<Remote>({
      ip: str(endpoint, 'ip'),
      domain: str(endpoint, 'domain'),
      port: num(endpoint, 'port'),
      country: str(endpoint, 'location.country'),
      city: str(endpoint, 'location.city'),
      asn: str(endpoint, 'autonomousSystem.number'),
      asnOrg: str(endpoint, 'autonomousSystem.name'),
    }))
    .filter((remote) => remote.ip !== undefined || remote.domain !== undefined);
}

function dropEmpty<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, inner]) => inner !== undefined)) as T;
}
