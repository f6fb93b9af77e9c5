import type { Evidence } from '../enrich/types.js';
import type { Decision } from '../model/decision.js';
import type { Signal } from '../model/signal.js';

/**
 * The vocabulary of the response side: who someone is for a tenant, what they
 * ask to do, and the alert those requests are about.
 */

/** `actor` is the person the identity map ties to the AWS principal a DUET is about. */
export type Role = 'analyst' | 'responder' | 'contact' | 'actor';

export const RESPONSE_ACTIONS = [
  'acknowledge',
  'assign',
  'investigate',
  'query_cloudtrail',
  'close',
  'deactivate_key',
  'reactivate_key',
  'revoke_sessions',
  'approve_remediation',
  'duet_answer',
  'suppress',
  'suppression_list',
  'suppression_revoke',
  'audit_view',
  'detections_view',
] as const;

export type ResponseAction = (typeof RESPONSE_ACTIONS)[number];

export type Disposition = 'true_positive' | 'benign' | 'false_positive';

/** Someone who clicked or typed, with the roles resolved for the tenant in question. */
export interface Actor {
  userId: string;
  roles: Role[];
}

export type AlertKind = 'alert' | 'duet';

export type AlertState = 'open' | 'acknowledged' | 'closed' | 'awaiting' | 'expected' | 'unexpected' | 'unanswered';

export interface RemediationState {
  op: 'deactivate' | 'reactivate' | 'revoke_sessions';
  target: string;
  result: 'inactive' | 'active' | 'revoked' | 'failed' | 'pending_approval';
  by: string;
  at: string;
  /** Bumped by each completed undo so the next deactivation is a new operation. */
  generation: number;
}

export interface AlertRecord {
  id: string;
  kind: AlertKind;
  cardKey: string;
  tenantId?: string;
  findingIds: string[];
  ruleId?: string;
  channel: string;
  ts: string;
  signal: Signal;
  decision: Decision;
  state: AlertState;
  stateBy?: string;
  stateAt?: string;
  assignee?: string;
  disposition?: Disposition;
  note?: string;
  /** For a DUET: the answer and who gave it. */
  answer?: { value: 'yes' | 'no'; by: string; at: string; role: Role };
  /** A SOC card raised from a DUET points back at it, and the DUET forward. */
  linkedAlertId?: string;
  /** Why a SOC card was raised from a DUET, in plain words. */
  escalation?: string;
  remediation?: RemediationState;
  /** What enrichment found, each item naming its provider; drawn on the card. */
  evidence?: Evidence[];
  /** How each enrichment provider fared; unavailable ones are shown with their reason. */
  enrichment?: EnrichmentStatus[];
  createdAt: string;
}

export interface EnrichmentStatus {
  provider: string;
  status: 'ok' | 'unavailable' | 'skipped';
  reason?: string;
}

export const DISPOSITIONS: Record<Disposition, string> = {
  true_positive: 'True positive',
  benign: 'Benign',
  false_positive: 'False positive',
};
