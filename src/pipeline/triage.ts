import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCard } from '../../blocks/alert-card.js';
import type { Card } from '../../blocks/types.js';
import type { PicketConfig } from '../config/schema.js';
import { indexTenants, type TenantIndex } from '../config/tenants.js';
import { ConfigError, errorMessage, InputError } from '../core/errors.js';
import { loadCatalogue, type Catalogue } from '../detect/catalogue.js';
import { decide, type DecideContext } from '../detect/decide.js';
import { loadRuleSet, type RuleSet } from '../detect/ruleset.js';
import type { Decision, Outcome } from '../model/decision.js';
import type { ItemOrigin, ReadItem } from '../model/item.js';
import { normalize } from '../model/normalize.js';
import { severityLabel, type Signal } from '../model/signal.js';
import { cardKeyFor } from './card-key.js';

/**
 * reader → normalize → detect → route → card, for one item, with no I/O.
 * The queue worker, the triage command and the tests all run exactly this.
 */

export interface TriageContext {
  config: PicketConfig;
  tenants: TenantIndex;
  rules: RuleSet;
  catalogue: Catalogue;
  now: () => Date;
  suppressedBy?: DecideContext['suppressedBy'];
}

export interface Triaged {
  origin: ItemOrigin;
  outcome: Outcome;
  reason?: string;
  signal?: Signal;
  decision?: Decision;
  tenantId?: string;
  channel?: string;
  card?: Card;
  /** Identity of the Slack message: the same key edits the same message. */
  cardKey?: string;
}

/** Relative rule folders in the config are relative to the project, not the working directory. */
export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export async function createTriageContext(config: PicketConfig, root = PROJECT_ROOT, configFile = 'configuration'): Promise<TriageContext> {
  const rules = loadRuleSet(config.rules.map((dir) => (isAbsolute(dir) ? dir : join(root, dir))));
  if (rules.errors.length > 0) {
    const first = rules.errors[0];
    throw new InputError(`${rules.errors.length} rule(s) failed to load; first: ${first?.file}: ${first?.where}: ${first?.message}`, { code: 'RULES_INVALID' });
  }
  const catalogue = loadCatalogue();
  checkRuleReferences(config, rules, catalogue, configFile);
  return { config, tenants: indexTenants(config), rules, catalogue, now: () => new Date() };
}

/**
 * A typo in `dry_run` would post what the tenant meant to silence, and one in
 * `opt_in` would silently skip a detection: every rule id the configuration
 * names must exist (a rule, or a catalogue decision `guardduty:<type>`).
 */
function checkRuleReferences(config: PicketConfig, rules: RuleSet, catalogue: Catalogue, file: string): void {
  const known = new Set(rules.rules.map((r) => r.id));
  const exists = (id: string) => known.has(id) || (id.startsWith('guardduty:') && catalogue.entries.has(id.slice('guardduty:'.length)));
  config.tenants.forEach((tenant, t) => {
    const lists: [string, string[]][] = [
      ['opt_in', tenant.opt_in],
      ['dry_run', tenant.dry_run],
      ['response.auto_remediate', (tenant.response?.auto_remediate ?? []).map((a) => a.rule)],
    ];
    for (const [field, ids] of lists) {
      ids.forEach((id, i) => {
        if (!exists(id)) throw new ConfigError(file, `tenants[${t}].${field}[${i}]`, `a rule id that exists (no rule ${id}; see picket rules list)`);
      });
    }
  });
}

export function triageItem(item: ReadItem, ctx: TriageContext): Triaged {
  if (item.status !== 'ok') return { origin: item.origin, outcome: item.status, reason: item.reason };

  let signal: Signal;
  try {
    signal = normalize(item);
  } catch (err) {
    return { origin: item.origin, outcome: 'rejected', reason: `cannot normalize: ${errorMessage(err)}` };
  }

  const destination = ctx.tenants.forAccount(signal.accountId);
  const decision = decide(signal, {
    rules: ctx.rules,
    catalogue: ctx.catalogue,
    tenant: destination.tenant,
    samples: ctx.config.samples,
    suppressedBy: ctx.suppressedBy,
  });
  const presented = present(signal, decision);
  const base = { origin: item.origin, signal: presented, decision, tenantId: destination.tenant?.id };

  if (decision.outcome === 'suppressed' || decision.outcome === 'ignored') {
    return { ...base, outcome: decision.outcome, reason: decision.reason };
  }
  const channel = decision.outcome === 'duet' ? destination.customerChannel : destination.socChannel;
  const card = buildCard(presented, decision, { tenantName: destination.tenant?.name });
  return { ...base, outcome: decision.outcome, channel, card, cardKey: cardKeyFor(presented, decision) };
}

/** CloudTrail records take their title and severity from the rule that fired. */
function present(signal: Signal, decision: Decision): Signal {
  const lead = decision.hits[0];
  if (signal.source !== 'cloudtrail' || !lead) return signal;
  return { ...signal, title: lead.title, severity: decision.severity, severityLabel: severityLabel(decision.severity) };
}
