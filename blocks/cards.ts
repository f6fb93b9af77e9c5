/**
 * The card builders' public surface in one import for the pipeline and the
 * handlers. Each name is also exported from the module that defines it.
 */
export { ActionId, isPicketActionId, type ActionIdValue } from './action-ids.js';
export { buildAlertCard, buildCard, buildUpdateNote } from './alert-card.js';
export { encodeButtonValue, parseButtonValue, type ButtonValue } from './button-value.js';
export { guardDutyConsoleUrl } from './console-url.js';
export { buildDuetCard, genericQuestion } from './duet-card.js';
export { escapeText, truncate } from './escape.js';
export { enforceLimits, SlackLimits, validateCard } from './limits.js';
export { blockKitBuilderUrl, renderCardText } from './render-text.js';
export { auditCardSafety } from './safety.js';
export type { Card, CardOptions } from './types.js';
