import type { SeverityLabel } from './signal.js';

/** Where a signal goes once the rules have looked at it. */
export type Route = 'soc' | 'duet' | 'suppress';

export type Outcome = 'alert' | 'duet' | 'suppressed' | 'ignored' | 'rejected';

/** One rule that matched, with what it asks of the response side. */
export interface RuleHit {
  ruleId: string;
  title: string;
  route: Route;
  level: SeverityLabel;
  tags: string[];
  /** DUET question, already rendered for this signal (plain text, untrusted parts included). */
  question?: string;
  firstAction?: string;
  remediation?: string;
  runbook?: string[];
  dedupKey?: string;
  dedupWindowSeconds?: number;
}

export interface Decision {
  outcome: Exclude<Outcome, 'rejected'>;
  severity: number;
  severityLabel: SeverityLabel;
  /** Every rule that matched; the first is the one that decided the route. */
  hits: RuleHit[];
  /** Why, for suppressed and ignored outcomes. */
  reason?: string;
  /** True for AWS sample findings: posted marked SAMPLE, never paging. */
  sample: boolean;
  /** Rules that matched but run in dry-run for this tenant: counted, never posted. */
  dryRun: string[];
  /** Ids of tenant suppressions that silenced a rule for this signal. */
  suppressedBy: string[];
}
