/**
 * The interactive row of each card. Buttons carry `{findingId, ruleId}` so the
 * handler can act without trusting anything else in the payload; the console
 * button is a plain URL button built only from validated ids.
 */
import type { Button, Confirm } from '@slack/types';
import type { Decision } from '../src/model/decision.js';
import type { Signal } from '../src/model/signal.js';
import { ActionId } from './action-ids.js';
import { encodeButtonValue } from './button-value.js';
import { guardDutyConsoleUrl } from './console-url.js';
import { present } from './escape.js';
import { button, plain } from './kit.js';
import { leadHit } from './sections/rules.js';
import type { CardOptions } from './types.js';
import { LONG_TERM_KEY } from './values.js';

export function valueFor(signal: Signal, decision: Decision): string {
  const ruleId = present(leadHit(decision.hits)?.ruleId);
  return encodeButtonValue(present(signal.id) ?? '', ruleId);
}

/** The actor's key id when it is a long-term IAM user key, the only kind we can deactivate. */
export function longTermKey(signal: Signal): string | undefined {
  const key = signal.actor?.accessKeyId;
  return typeof key === 'string' && LONG_TERM_KEY.test(key) ? key : undefined;
}

function deactivateConfirm(keyId: string): Confirm {
  return {
    title: plain('Deactivate access key?'),
    text: plain(`${keyId} stops working at once. You can reactivate it from this thread.`),
    confirm: plain('Deactivate'),
    deny: plain('Cancel'),
    style: 'danger',
  };
}

export function consoleButton(signal: Signal, value: string, opts: CardOptions): Button | undefined {
  if (opts.consoleUrl === false) return undefined;
  const url = guardDutyConsoleUrl(signal);
  if (url === undefined) return undefined;
  return button({ text: 'Open in GuardDuty', actionId: ActionId.openConsole, url, value });
}

export function alertButtons(signal: Signal, decision: Decision, opts: CardOptions): Button[] {
  const value = valueFor(signal, decision);
  const buttons: Button[] = [
    button({ text: 'Acknowledge', actionId: ActionId.acknowledge, value, style: 'primary' }),
    button({ text: 'Investigate', actionId: ActionId.investigate, value }),
  ];

  const key = longTermKey(signal);
  if (key !== undefined) {
    const deactivate = button({
      text: 'Deactivate access key',
      actionId: ActionId.deactivateKey,
      value,
      style: 'danger',
    });
    deactivate.confirm = deactivateConfirm(key);
    buttons.push(deactivate);
  }

  buttons.push(button({ text: 'Close', actionId: ActionId.close, value }));
  const link = consoleButton(signal, value, opts);
  if (link !== undefined) buttons.push(link);
  return buttons;
}

export function duetButtons(signal: Signal, decision: Decision, opts: CardOptions): Button[] {
  const value = valueFor(signal, decision);
  const buttons = [
    button({ text: 'Yes, I expected this', actionId: ActionId.duetYes, value, style: 'primary' }),
    button({ text: 'No, this was not expected', actionId: ActionId.duetNo, value, style: 'danger' }),
  ];
  const link = consoleButton(signal, value, opts);
  if (link !== undefined) buttons.push(link);
  return buttons;
}
