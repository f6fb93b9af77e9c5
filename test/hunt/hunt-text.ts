/** A small valid hunt file with parts of its hunt: section replaceable (flow-style YAML values). */
export function huntText(over: Partial<Record<'lookup' | 'window' | 'aggregate' | 'technique', string>> = {}): string {
  return `title: Sample hunt
id: 6b0f5a2e-1c3d-4e5f-8a9b-0c1d2e3f4a5b
status: test
tags:
  - attack.credential_access
  - attack.t1555.006
logsource:
  product: aws
  service: cloudtrail
detection:
  selection:
    eventName: GetSecretValue
  condition: selection
level: low
hunt:
  hypothesis: Someone reads secrets they do not need.
  technique: ${over.technique ?? 'T1555.006'}
  lookup: ${over.lookup ?? '{ attribute: EventName, values: [GetSecretValue] }'}
  on_hit: [Ask the reader., Rotate the secrets.]
  tests:
    - { name: one read, events: [{ eventName: GetSecretValue }], expect: { groups: 1 } }
    - { name: no read, events: [{ eventName: ListSecrets }], expect: { groups: 0 } }
  window: ${over.window ?? '24h'}
  aggregate: ${over.aggregate ?? '{ by: [userIdentity.arn] }'}
`;
}
