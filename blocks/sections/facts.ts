/**
 * The top of every card: the header line and the at-a-glance fields
 * (severity, account, region, type, count, first and last seen).
 */
import type { Decision } from '../../src/model/decision.js';
import type { Signal } from '../../src/model/signal.js';
import { code, present, prose } from '../escape.js';
import { countText, labelFor, severityMarker, severityText, timeText } from '../values.js';
import type { SeverityLabel } from '../../src/model/signal.js';

/** Sample findings are AWS test data; either side may know it. */
export function isSample(signal: Signal, decision: Decision): boolean {
  return signal.sample === true || decision.sample === true;
}

/** The severity the rules settled on, falling back to the signal's own. */
export function cardSeverity(signal: Signal, decision: Decision): { label: SeverityLabel; value: unknown } {
  const value = typeof decision.severity === 'number' ? decision.severity : signal.severity;
  const label = decision.severityLabel ?? signal.severityLabel;
  return { label: labelFor(label, value), value };
}

/** Title for display: the finding's title, else its type, else a generic name. */
export function titleOf(signal: Signal): string {
  return present(signal.title) ?? present(signal.type) ?? 'Security finding';
}

/** `🟠 SAMPLE · Title` within the 150-character header limit (AWS sample titles already say SAMPLE). */
export function headerText(signal: Signal, decision: Decision, glyph?: string): string {
  const { label } = cardSeverity(signal, decision);
  const prefix = `${glyph ?? severityMarker(label)} ${sampleMark(signal, decision) ? 'SAMPLE · ' : ''}`;
  return prefix + (prose(titleOf(signal), 150 - prefix.length, { multiline: false }) ?? '');
}

/** Whether the card must add the SAMPLE mark itself. */
export function sampleMark(signal: Signal, decision: Decision): boolean {
  return isSample(signal, decision) && !/^\s*sample\b/i.test(titleOf(signal));
}

function field(label: string, value: string | undefined): string | undefined {
  return value === undefined ? undefined : `*${label}*\n${value}`;
}

function severityField(signal: Signal, decision: Decision): string {
  const { label, value } = cardSeverity(signal, decision);
  const text = severityText(label, value);
  const own = typeof signal.severity === 'number' && Number.isFinite(signal.severity) ? signal.severity : undefined;
  const raised = own !== undefined && own !== value;
  return `*Severity*\n${text}${raised ? `\n(finding said ${own.toFixed(1)})` : ''}`;
}

/** The fields block: at most 9 entries, under Slack's 10. */
export function factFields(signal: Signal, decision: Decision): string[] {
  const fields = [
    severityField(signal, decision),
    field('Account', code(signal.accountId, 80)),
    field('Region', code(signal.region, 60)),
    field(signal.source === 'cloudtrail' ? 'Event' : 'Finding type', code(signal.type, 140)),
    field('API result', signal.errorCode === undefined ? undefined : `${code(signal.errorCode, 80)}, the call failed`),
    field('Count', countText(signal.count)),
    field('First seen', timeText(signal.firstSeen)),
    field('Last seen', timeText(signal.lastSeen)),
  ];
  return fields.filter((f): f is string => f !== undefined);
}
