import type { TenantConfig } from '../config/schema.js';
import type { Decision, Route, RuleHit } from '../model/decision.js';
import { severityForLabel, severityLabel, type SeverityLabel, type Signal } from '../model/signal.js';
import type { Catalogue, CatalogueEntry } from './catalogue.js';
import { renderTemplate, type LoadedRule, type RuleSet } from './ruleset.js';
import { dedupKey, parseWindow } from './tuning.js';

/**
 * The decision for one signal: which rules fired, where it goes and how
 * severe it is. Pure: tenants' opt-ins, dry-runs and suppressions come in as
 * data, and nothing here touches Redis or Slack.
 */

export interface DecideContext {
  rules: RuleSet;
  catalogue: Catalogue;
  tenant?: TenantConfig;
  /** The global sample policy; a tenant's own setting wins. */
  samples: 'post' | 'suppress';
  /** Returns the id of a suppression that silences this rule (or catalogue entry) for this signal, if any. */
  suppressedBy?: (ruleId: string, signal: Signal) => string | undefined;
}

/** The top of the Low band. */
const SAMPLE_CEILING = 3.9;

const ROUTE_RANK: Record<Route, number> = { soc: 3, duet: 2, suppress: 1 };

export function decide(signal: Signal, ctx: DecideContext): Decision {
  const base = { sample: signal.sample, dryRun: [] as string[], suppressedBy: [] as string[] };
  const samplePolicy = ctx.tenant?.samples ?? ctx.samples;
  if (signal.sample && samplePolicy === 'suppress') {
    return { ...base, outcome: 'suppressed', severity: signal.severity, severityLabel: signal.severityLabel, hits: [], reason: 'AWS sample finding; this tenant suppresses samples' };
  }
  if (signal.archived) {
    return { ...base, outcome: 'suppressed', severity: signal.severity, severityLabel: signal.severityLabel, hits: [], reason: 'archived in GuardDuty (by a suppression rule or an analyst)' };
  }

  const service = signal.source === 'cloudtrail' ? 'cloudtrail' : 'guardduty';
  const hits: RuleHit[] = [];
  for (const rule of ctx.rules.evaluate(service, signal.doc)) {
    if (rule.picket.opt_in && !ctx.tenant?.opt_in.includes(rule.id)) continue;
    if (ctx.tenant?.dry_run.includes(rule.id)) {
      base.dryRun.push(rule.id);
      continue;
    }
    const suppression = ctx.suppressedBy?.(rule.id, signal);
    if (suppression) {
      base.suppressedBy.push(suppression);
      continue;
    }
    hits.push(toHit(rule, signal));
  }

  if (hits.length === 0 && service === 'guardduty' && base.suppressedBy.length === 0) {
    const hit = catalogueHit(signal, ctx.catalogue.lookup(signal.type));
    const suppression = ctx.suppressedBy?.(hit.ruleId, signal);
    if (suppression) base.suppressedBy.push(suppression);
    else hits.push(hit);
  }
  if (hits.length === 0) {
    const reason = base.suppressedBy.length > 0 ? `suppressed by ${base.suppressedBy.join(', ')}` : base.dryRun.length > 0 ? `dry-run only: ${base.dryRun.join(', ')}` : 'no rule matched';
    return { ...base, outcome: base.suppressedBy.length > 0 ? 'suppressed' : 'ignored', severity: 0, severityLabel: 'Informational', hits: [], reason };
  }

  hits.sort((a, b) => ROUTE_RANK[b.route] - ROUTE_RANK[a.route] || rank(b.level) - rank(a.level));
  const lead = hits[0] as RuleHit;
  // A sample is AWS test data: posted for people to see, at a priority that never pages.
  const severity = signal.sample ? Math.min(severityOf(signal, hits), SAMPLE_CEILING) : severityOf(signal, hits);
  if (lead.route === 'suppress') {
    return { ...base, outcome: 'suppressed', severity, severityLabel: severityLabel(severity), hits, reason: `rule ${lead.ruleId}: ${lead.title}` };
  }
  return { ...base, outcome: lead.route === 'duet' ? 'duet' : 'alert', severity, severityLabel: severityLabel(severity), hits };
}

function toHit(rule: LoadedRule, signal: Signal): RuleHit {
  const p = rule.picket;
  const hit: RuleHit = { ruleId: rule.id, title: rule.title, route: p.route, level: rule.level, tags: rule.tags };
  if (p.question) hit.question = renderTemplate(p.question, signal.doc);
  if (p.first_action) hit.firstAction = renderTemplate(p.first_action, signal.doc);
  if (p.remediation && p.remediation !== 'none') hit.remediation = p.remediation;
  if (p.runbook.length > 0) hit.runbook = p.runbook;
  if (p.dedup) {
    hit.dedupKey = dedupKey(rule, signal.doc);
    hit.dedupWindowSeconds = parseWindow(p.dedup.window);
  }
  return hit;
}

/** With no rule of its own, a GuardDuty type gets the catalogue's deliberate decision. */
function catalogueHit(signal: Signal, entry: CatalogueEntry | undefined): RuleHit {
  if (!entry) {
    return { ruleId: 'guardduty:unknown-type', title: 'Unknown GuardDuty finding type', route: 'soc', level: signal.severityLabel, tags: [] };
  }
  const level = entry.level === 'variable' ? entry.fallbackLevel : entry.level;
  const id = entry.family ? `guardduty:family:${entry.type}` : `guardduty:${entry.type}`;
  return { ruleId: id, title: `GuardDuty ${entry.type}`, route: entry.route, level, tags: [`attack.${entry.tactic.replace(/-/g, '_')}`] };
}

/** GuardDuty's own number is authoritative; rules set it only where the source has none. */
function severityOf(signal: Signal, hits: RuleHit[]): number {
  if (signal.source !== 'cloudtrail' && signal.severity >= 1) return signal.severity;
  const top = Math.max(...hits.map((h) => rank(h.level)));
  return severityForLabel(LABELS[top] ?? 'Medium');
}

const LABELS: SeverityLabel[] = ['Informational', 'Low', 'Medium', 'High', 'Critical'];

function rank(label: SeverityLabel): number {
  return LABELS.indexOf(label);
}
