import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serveCommand } from '../../src/cli/serve.js';
import type { CommandIO } from '../../src/cli/io.js';
import { requireServeSecrets } from '../../src/server/secrets.js';
import { closedPort } from '../helpers/redis.js';

/**
 * `picket serve` refuses to start what would take unauthenticated requests.
 * Redis points at a closed port: a refusal that came after opening Redis
 * would print the Redis help and exit 1 instead of naming the variable.
 */

const CONFIG = new URL('../fixtures/server/picket.yml', import.meta.url).pathname;
const VARS = ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'PICKET_INTAKE_SECRET', 'REDIS_URL', 'PICKET_LOG_LEVEL'] as const;

function captureIO(): CommandIO & { outLines: string[]; errLines: string[] } {
  const outLines: string[] = [];
  const errLines: string[] = [];
  return { outLines, errLines, out: (l) => void outLines.push(l), err: (l) => void errLines.push(l) };
}

describe('picket serve refuses to start without its secrets', () => {
  const saved: Partial<Record<(typeof VARS)[number], string>> = {};

  beforeEach(async () => {
    for (const name of VARS) {
      saved[name] = process.env[name];
      delete process.env[name];
    }
    process.env.REDIS_URL = `redis://127.0.0.1:${await closedPort()}`;
    process.env.PICKET_LOG_LEVEL = 'error';
  });
  afterEach(() => {
    for (const name of VARS) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  it('exits 2 naming PICKET_INTAKE_SECRET when the intake secret is missing', async () => {
    const io = captureIO();
    expect(await serveCommand(['--config', CONFIG], io)).toBe(2);
    expect(io.errLines).toEqual(['picket serve: environment: PICKET_INTAKE_SECRET: a shared secret for the HTTPS intake; picket serve does not start without one']);
    expect(io.outLines).toEqual([]);
  });

  it('exits 2 naming SLACK_SIGNING_SECRET in HTTP mode (bot token, no app token) without the signing secret', async () => {
    process.env.SLACK_BOT_TOKEN = 'xoxb-serve-secrets-test';
    process.env.PICKET_INTAKE_SECRET = 'intake-secret-0123456789';
    const io = captureIO();
    expect(await serveCommand(['--config', CONFIG], io)).toBe(2);
    expect(io.errLines).toEqual(['picket serve: environment: SLACK_SIGNING_SECRET: the Slack app signing secret; HTTP mode verifies every request Slack sends']);
  });

  it('gets past the secret check once both are set, and stops at Redis instead', async () => {
    process.env.SLACK_BOT_TOKEN = 'xoxb-serve-secrets-test';
    process.env.SLACK_SIGNING_SECRET = 'signing-secret';
    process.env.PICKET_INTAKE_SECRET = 'intake-secret-0123456789';
    const io = captureIO();
    expect(await serveCommand(['--config', CONFIG], io)).toBe(1);
    expect(io.errLines[0]).toBe(`Redis is not answering at ${process.env.REDIS_URL}.`);
  });
});

describe('requireServeSecrets', () => {
  const base = { intakeSecret: 'intake-secret-0123456789', redisUrl: 'redis://127.0.0.1:6379' };

  it.each([
    ['local mode needs only the intake secret', { ...base }, 'local'],
    ['Socket Mode needs no signing secret (Slack does not post to us)', { ...base, slackBotToken: 'xoxb-1', slackAppToken: 'xapp-1' }, 'socket'],
    ['HTTP mode with the signing secret', { ...base, slackBotToken: 'xoxb-1', slackSigningSecret: 's' }, 'http'],
  ] as const)('%s', (_name, secrets, mode) => {
    expect(requireServeSecrets(secrets)).toBe(mode);
  });

  it('refuses a guessable intake secret, naming the variable', () => {
    expect(() => requireServeSecrets({ ...base, intakeSecret: ' '.repeat(20) })).toThrow('at least 16 characters');
    expect(() => requireServeSecrets({ ...base, intakeSecret: 'a' })).toThrow('environment: PICKET_INTAKE_SECRET: a random secret of at least 16 characters (e.g. openssl rand -hex 24)');
  });
});
