import type { Secrets } from '../config/load.js';
import { ConfigError } from '../core/errors.js';

/**
 * Which front `serve` runs, read from the secrets alone: Slack over HTTP
 * (the production shape), Slack over Socket Mode (development), or local
 * mode with no Slack at all.
 */
export type FrontMode = 'http' | 'socket' | 'local';

export function frontMode(secrets: Pick<Secrets, 'slackBotToken' | 'slackAppToken'>): FrontMode {
  if (!secrets.slackBotToken) return 'local';
  return secrets.slackAppToken ? 'socket' : 'http';
}

/** Anyone who can guess the intake secret can post findings: keep it long. */
export const MIN_INTAKE_SECRET = 16;

/**
 * Refuse to start anything that would accept unauthenticated requests: the
 * intake needs its shared secret in every mode, and HTTP mode needs the
 * signing secret to verify what Slack sends. Checked before Redis is opened,
 * so a misconfigured deploy fails at once with the variable's name.
 */
export function requireServeSecrets(secrets: Secrets): FrontMode {
  if (!secrets.intakeSecret) {
    throw new ConfigError('environment', 'PICKET_INTAKE_SECRET', 'a shared secret for the HTTPS intake; picket serve does not start without one');
  }
  if (secrets.intakeSecret.trim().length < MIN_INTAKE_SECRET) {
    throw new ConfigError('environment', 'PICKET_INTAKE_SECRET', `a random secret of at least ${MIN_INTAKE_SECRET} characters (e.g. openssl rand -hex 24)`);
  }
  const mode = frontMode(secrets);
  if (mode === 'http' && !secrets.slackSigningSecret) {
    throw new ConfigError('environment', 'SLACK_SIGNING_SECRET', 'the Slack app signing secret; HTTP mode verifies every request Slack sends');
  }
  return mode;
}
