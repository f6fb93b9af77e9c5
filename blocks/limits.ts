/**
 * Slack's limits, in one place for callers: the numbers, the validator that
 * lists violations, and the clamp every builder runs last. A slightly cut card
 * is worth more than a finding that never gets posted, so the clamp never throws.
 */
export { SlackLimits } from './slack-limits.js';
export { validateCard } from './validate.js';
export { enforceLimits } from './clamp.js';
