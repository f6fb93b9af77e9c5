/**
 * The numbers behind every card: Slack's Block Kit limits plus our own ceiling
 * on total text. Kept apart so the validator and the clamp share one source.
 */

export const SlackLimits = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  fieldText: 2000,
  fields: 10,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  contextElements: 10,
  /** Our own ceiling on all text in a card, well under what Slack accepts. */
  payloadText: 12000,
  /** Slack's own limits the list above does not name. */
  blockId: 255,
  actionsElements: 25,
  textObject: 3000,
  buttonUrl: 3000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
} as const;
