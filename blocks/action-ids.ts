/**
 * Every action_id Picket puts on a card. The interaction handlers import the
 * same constants, so a renamed button can never silently lose its handler.
 */

export const ActionId = {
  duetYes: 'picket.duet.yes',
  duetNo: 'picket.duet.no',
  acknowledge: 'picket.alert.ack',
  investigate: 'picket.alert.investigate',
  deactivateKey: 'picket.key.deactivate',
  reactivateKey: 'picket.key.reactivate',
  close: 'picket.alert.close',
  assign: 'picket.alert.assign',
  openConsole: 'picket.link.console',
  revokeSessions: 'picket.role.revoke-sessions',
  approveRemediation: 'picket.remediation.approve',
  rejectRemediation: 'picket.remediation.reject',
  suppressOffer: 'picket.duet.suppress',
  revokeSuppression: 'picket.suppression.revoke',
  homeRefresh: 'picket.home.refresh',
} as const;

export type ActionIdValue = (typeof ActionId)[keyof typeof ActionId];

const known: ReadonlySet<string> = new Set(Object.values(ActionId));

/** True for an action_id that one of our cards can carry. */
export function isPicketActionId(value: string): value is ActionIdValue {
  return known.has(value);
}
