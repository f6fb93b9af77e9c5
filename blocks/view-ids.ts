/** callback_ids of the modals Picket opens; the view handlers import the same constants. */
export const ViewId = {
  remediate: 'picket.view.remediate',
  close: 'picket.view.close',
  suppress: 'picket.view.suppress',
} as const;

/** block_id / action_id pairs of modal inputs. */
export const InputId = {
  disposition: { block: 'disposition', action: 'value' },
  note: { block: 'note', action: 'value' },
  scope: { block: 'scope', action: 'value' },
  days: { block: 'days', action: 'value' },
  reason: { block: 'reason', action: 'value' },
} as const;
