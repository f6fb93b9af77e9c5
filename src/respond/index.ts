/**
 * The response side's public surface for `serve` and the CLI. Each name is
 * also exported from the module that defines it.
 */
export { registerResponse } from './listeners/register.js';
export { createActionsWorker, processActionJob } from './worker.js';
export { withResponse, onDelivered } from './delivered.js';
export { ACTIONS_QUEUE, createActionsQueue } from './jobs.js';
export { createVerifyingReceiver, guardRequestListener, verifySlackSignature } from './verify.js';
export { createSuppressionMatcher, createSuppressionStore, type Suppression, type SuppressionMatcher } from './suppressions.js';
export { createAuditLog, type AuditEntry, type AuditLog } from './audit.js';
export { responseContext, type ResponseContext } from './context.js';
export type { ResponseDeps, InvestigateFn, InvestigateRequest, InvestigationResult, QueryCloudTrailFn, CloudTrailQuery, CloudTrailRow } from './deps.js';
