import { describe, expect, it } from 'vitest';
import { ActionId, isPicketActionId } from '../../blocks/action-ids.js';
import { buildAlertCard } from '../../blocks/alert-card.js';
import { buildDuetCard } from '../../blocks/duet-card.js';
import { SlackLimits } from '../../blocks/limits.js';
import { actionIdsOf, duetDecision, makeDecision, makeSignal } from './factory.js';

describe('ActionId', () => {
  it('keeps the ids the handlers rely on', () => {
    expect(ActionId).toMatchObject({
      duetYes: 'picket.duet.yes',
      duetNo: 'picket.duet.no',
      acknowledge: 'picket.alert.ack',
      investigate: 'picket.alert.investigate',
      deactivateKey: 'picket.key.deactivate',
      reactivateKey: 'picket.key.reactivate',
      close: 'picket.alert.close',
      assign: 'picket.alert.assign',
      openConsole: 'picket.link.console',
    });
  });

  it('has unique ids within Slack’s length limit', () => {
    const ids = Object.values(ActionId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id.length).toBeLessThanOrEqual(SlackLimits.actionId);
  });

  it('is the only source of the action ids on our cards', () => {
    const onCards = [...actionIdsOf(buildAlertCard(makeSignal(), makeDecision())), ...actionIdsOf(buildDuetCard(makeSignal(), duetDecision()))];
    expect(onCards.filter((id) => !isPicketActionId(id))).toEqual([]);
    expect(isPicketActionId('picket.alert.ack')).toBe(true);
    expect(isPicketActionId('somebody.else')).toBe(false);
  });
});
