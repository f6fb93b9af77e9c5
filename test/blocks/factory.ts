/**
 * Hand-built Signals and Decisions for the card tests. One realistic base
 * finding; each case overrides only what it is about.
 */
import type { Decision, RuleHit } from '../../src/model/decision.js';
import type { Signal } from '../../src/model/signal.js';

export const FINDING_ID = '5ec8f3b2a1d94e0b8c7d6e5f4a3b2c1d';
export const LONG_KEY = 'AKIAIOSFODNN7EXAMPLE';
export const TEMP_KEY = 'ASIAJEXAMPLEXEG2JICEA';

export function makeSignal(over: Partial<Signal> = {}): Signal {
  return {
    source: 'guardduty',
    id: FINDING_ID,
    type: 'UnauthorizedAccess:IAMUser/MaliciousIPCaller',
    title: 'API GetSecretValue was invoked from a known malicious IP address.',
    description: 'An API was invoked from an IP address on a threat list.',
    accountId: '111122223333',
    region: 'eu-west-1',
    partition: 'aws',
    severity: 5,
    severityLabel: 'Medium',
    firstSeen: '2026-03-01T10:00:00.000Z',
    lastSeen: '2026-03-01T12:30:05.000Z',
    count: 3,
    sample: false,
    archived: false,
    resource: { type: 'AccessKey', id: LONG_KEY, detail: 'IAMUser alice' },
    actor: { type: 'IAMUser', userName: 'alice', accessKeyId: LONG_KEY, accountId: '111122223333' },
    remotes: [{ ip: '198.51.100.7', country: 'Netherlands', city: 'Amsterdam', asn: '64500', asnOrg: 'Example Hosting' }],
    action: 'AWS_API_CALL',
    api: 'GetSecretValue',
    serviceName: 'secretsmanager.amazonaws.com',
    doc: {},
    ...over,
  };
}

export function makeHit(over: Partial<RuleHit> = {}): RuleHit {
  return {
    ruleId: 'picket-gd-malicious-ip',
    title: 'API call from a malicious IP',
    route: 'soc',
    level: 'High',
    tags: ['attack.initial_access'],
    ...over,
  };
}

export function makeDecision(over: Partial<Decision> = {}): Decision {
  return {
    outcome: 'alert',
    severity: 8,
    severityLabel: 'High',
    hits: [makeHit()],
    sample: false,
    dryRun: [],
    suppressedBy: [],
    ...over,
  };
}

export function duetDecision(hit: Partial<RuleHit> = {}): Decision {
  return makeDecision({
    outcome: 'duet',
    severity: 5,
    severityLabel: 'Medium',
    hits: [makeHit({ route: 'duet', level: 'Medium', ...hit })],
  });
}

/** Every string of a card, for "appears nowhere" assertions. */
export function cardJson(card: unknown): string {
  return JSON.stringify(card);
}

type Rec = Record<string, unknown>;

function isRec(v: unknown): v is Rec {
  return typeof v === 'object' && v !== null;
}

/** The blocks of a card as plain records, for poking at fields without Block Kit's unions. */
export function blocksOf(card: { blocks: unknown[] }): Rec[] {
  return card.blocks.filter(isRec);
}

export function headerOf(card: { blocks: unknown[] }): string {
  const block = blocksOf(card).find((b) => b.type === 'header');
  return isRec(block?.text) ? String(block.text.text) : '';
}

/** Every button across the card's actions blocks. */
export function buttonsOf(card: { blocks: unknown[] }): Rec[] {
  return blocksOf(card)
    .filter((b) => b.type === 'actions' && Array.isArray(b.elements))
    .flatMap((b) => (b.elements as unknown[]).filter(isRec));
}

export function actionIdsOf(card: { blocks: unknown[] }): string[] {
  return buttonsOf(card).map((b) => String(b.action_id));
}

/** Text of the fields section (the first section with fields). */
export function fieldsOf(card: { blocks: unknown[] }): string[] {
  const block = blocksOf(card).find((b) => b.type === 'section' && Array.isArray(b.fields));
  return Array.isArray(block?.fields) ? block.fields.filter(isRec).map((f) => String(f.text)) : [];
}

/** Text of every section (not fields), in order. */
export function sectionTexts(card: { blocks: unknown[] }): string[] {
  return blocksOf(card)
    .filter((b) => b.type === 'section' && isRec(b.text))
    .map((b) => String((b.text as Rec).text));
}

export function contextTexts(card: { blocks: unknown[] }): string[] {
  return blocksOf(card)
    .filter((b) => b.type === 'context' && Array.isArray(b.elements))
    .flatMap((b) => (b.elements as unknown[]).filter(isRec).map((e) => String(e.text)));
}
