/**
 * On-demand investigation of one principal or resource (the /investigate
 * command and the Investigate button): the same providers as enrichment,
 * pointed at what the analyst named, over the window they chose.
 */
import { GetFindingsCommand, GuardDutyClient, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { callAws } from '../aws/call.js';
import { InputError } from '../core/errors.js';
import { isObject } from '../core/json.js';
import { camelizeKeys } from '../intake/casing.js';
import { guardDutySignal } from '../model/normalize.js';
import type { Signal } from '../model/signal.js';
import { allProviders } from './providers/index.js';
import { accessKeyProvider } from './providers/access-key.js';
import { activityProvider } from './providers/activity.js';
import { ec2Provider } from './providers/ec2.js';
import { firstPartyProvider } from './providers/first-party.js';
import { geoProvider } from './providers/geo.js';
import { iamRoleProvider } from './providers/iam-role.js';
import { iamUserProvider } from './providers/iam-user.js';
import { rdsProvider } from './providers/rds.js';
import { similarProvider } from './providers/similar.js';
import { thirdPartyProvider } from './providers/third-party.js';
import { timelineProvider } from './providers/timeline.js';
import { runProvider } from './run.js';
import type { EnrichDeps, Provider, ProviderFile, ProviderResult } from './types.js';

export type InvestigationKind = 'user' | 'role' | 'key' | 'instance' | 'db' | 'ip' | 'finding';

export interface InvestigationRequest {
  kind: InvestigationKind;
  id: string;
  accountId: string;
  region: string;
  since: Date;
  until: Date;
}

export interface Investigation {
  results: ProviderResult[];
  summaryLines: string[];
  files: ProviderFile[];
}

export { queryCloudTrail, type CloudTrailEventSummary, type CloudTrailQuery, type LookupAttributeKey } from './cloudtrail.js';

const DEADLINE_MS = 30_000;

export async function investigate(req: InvestigationRequest, deps: EnrichDeps, onProgress?: (step: string) => void): Promise<Investigation> {
  validate(req);
  const windowDeps: EnrichDeps = { ...deps, settings: { ...deps.settings, windowHours: 0 } };
  const signal = req.kind === 'finding' ? await findingSignal(req, deps, onProgress) : syntheticSignal(req);
  const chosen = providersFor(req.kind, deps).filter((p) => p.appliesTo(signal));
  const now = new Date((deps.clock ?? Date).now());

  const results = await Promise.all(
    chosen.map(async (p) => {
      onProgress?.(`${p.name}: started`);
      const result = await runProvider(p, signal, req.kind === 'finding' ? deps : windowDeps, { deadline: DEADLINE_MS, now });
      onProgress?.(`${p.name}: ${result.status}${result.reason ? ` (${result.reason})` : ''}`);
      return result;
    }),
  );
  return { results, summaryLines: summaryLines(req, results), files: results.flatMap((r) => r.files ?? []) };
}

function validate(req: InvestigationRequest): void {
  if (!/^\d{12}$/.test(req.accountId)) throw new InputError(`account id must be 12 digits, got "${req.accountId}"`);
  if (req.id.trim() === '') throw new InputError('nothing to investigate: empty id');
  if (!(req.since.getTime() < req.until.getTime())) throw new InputError('since must be before until');
}

function providersFor(kind: InvestigationKind, deps: EnrichDeps): Provider[] {
  const history = [activityProvider, timelineProvider, similarProvider];
  switch (kind) {
    case 'user':
      return [iamUserProvider, ...history];
    case 'role':
      return [iamRoleProvider, ...history];
    case 'key':
      return [accessKeyProvider, ...history];
    case 'instance':
      return [ec2Provider, similarProvider];
    case 'db':
      return [rdsProvider, similarProvider];
    case 'ip':
      return [firstPartyProvider, ...(deps.thirdParty ?? []).map((a) => thirdPartyProvider(a)), geoProvider];
    case 'finding':
      return allProviders(deps);
  }
}

/** A signal shaped just enough for the providers of `kind` to recognise their subject. */
export function syntheticSignal(req: InvestigationRequest): Signal {
  const base: Signal = {
    source: 'cloudtrail',
    id: `investigate:${req.kind}:${req.id}`,
    type: `Investigation:${req.kind}`,
    title: `Investigation of ${req.kind} ${req.id}`,
    accountId: req.accountId,
    region: req.region,
    partition: 'aws',
    severity: 0,
    severityLabel: 'Informational',
    firstSeen: req.since.toISOString(),
    lastSeen: req.until.toISOString(),
    count: 1,
    sample: false,
    archived: false,
    resource: { type: 'Investigation' },
    remotes: [],
    doc: {},
  };
  switch (req.kind) {
    case 'user':
      return { ...base, actor: { type: 'IAMUser', userName: req.id, accountId: req.accountId } };
    case 'role':
      return { ...base, actor: { type: 'AssumedRole', roleName: req.id, accountId: req.accountId } };
    case 'key':
      return { ...base, actor: { accessKeyId: req.id, accountId: req.accountId } };
    case 'instance':
      return { ...base, resource: { type: 'Instance', id: req.id } };
    case 'db':
      return { ...base, resource: { type: 'RDSDBInstance', id: req.id } };
    case 'ip':
      return { ...base, remotes: [{ ip: req.id }] };
    case 'finding':
      return base;
  }
}

/** Fetch the finding from GuardDuty and investigate it like a fresh one. */
async function findingSignal(req: InvestigationRequest, deps: EnrichDeps, onProgress?: (step: string) => void): Promise<Signal> {
  const aws = deps.aws;
  if (!aws?.canReach(req.accountId)) throw new InputError(`account ${req.accountId} is not configured for AWS access`);
  const client = aws.client(GuardDutyClient, req.accountId, req.region);
  const target = { accountId: req.accountId, region: req.region };
  onProgress?.('guardduty: fetching the finding');

  const detectors = await callAws(aws, { ...target, operation: 'guardduty:ListDetectors' }, () => client.send(new ListDetectorsCommand({})));
  const detectorId = detectors.DetectorIds?.[0];
  if (!detectorId) throw new InputError(`no GuardDuty detector in ${req.accountId}/${req.region}`);
  const out = await callAws(aws, { ...target, operation: 'guardduty:GetFindings' }, () => client.send(new GetFindingsCommand({ DetectorId: detectorId, FindingIds: [req.id] })));
  const doc = camelizeKeys(out.Findings?.[0]);
  if (!isObject(doc)) throw new InputError(`finding ${req.id} not found in ${req.accountId}/${req.region}`);
  return guardDutySignal(doc);
}

function summaryLines(req: InvestigationRequest, results: ProviderResult[]): string[] {
  const lines = [`${req.kind} ${req.id} in ${req.accountId}/${req.region}, ${req.since.toISOString()} – ${req.until.toISOString()}`];
  for (const r of results) {
    if (r.status !== 'ok') lines.push(`${r.provider}: ${r.status}${r.reason ? ` (${r.reason})` : ''}`);
    for (const e of r.evidence.filter((x) => x.verdict === 'bad' || x.verdict === 'suspicious')) {
      lines.push(`${e.verdict === 'bad' ? '!!' : '!'} ${e.provider} · ${e.field}: ${e.value}`);
    }
  }
  if (lines.length === 1) lines.push('nothing stands out');
  return lines;
}
