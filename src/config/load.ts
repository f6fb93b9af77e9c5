import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import { ConfigSchema, type PicketConfig } from './schema.js';

/** Secrets never live in picket.yml: they come from the environment. */
export interface Secrets {
  slackBotToken?: string;
  slackSigningSecret?: string;
  slackAppToken?: string;
  intakeSecret?: string;
  redisUrl: string;
}

export function loadConfig(file: string): PicketConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, '', `cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return parseConfig(text, file);
}

export function parseConfig(text: string, file: string): PicketConfig {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const where = `line ${first?.linePos?.[0].line ?? '?'}`;
    throw new ConfigError(file, where, `valid YAML: ${(first?.message.split('\n')[0] ?? first?.code ?? '').replace(/:$/, '')}`);
  }
  const result = ConfigSchema.safeParse(doc.toJS() ?? {});
  if (!result.success) throw issueToError(file, result.error.issues);
  checkUnique(file, result.data);
  return result.data;
}

function issueToError(file: string, issues: z.core.$ZodIssue[]): ConfigError {
  const issue = issues[0];
  if (!issue) return new ConfigError(file, '', 'a valid configuration');
  const field = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.');
  return new ConfigError(file, field.replace(/\.\[/g, '['), issue.message);
}

/**
 * A tenant id names one tenant, and an account belongs to one tenant only:
 * otherwise routing, roles and audit would mix two customers up.
 */
function checkUnique(file: string, config: PicketConfig): void {
  const owner = new Map<string, string>();
  const ids = new Map<string, number>();
  config.tenants.forEach((tenant, t) => {
    const first = ids.get(tenant.id);
    if (first !== undefined) throw new ConfigError(file, `tenants[${t}].id`, `a tenant id not already used by tenants[${first}]`);
    ids.set(tenant.id, t);
  });
  config.tenants.forEach((tenant, t) => {
    tenant.accounts.forEach((account, a) => {
      const prior = owner.get(account.id);
      if (prior) {
        throw new ConfigError(file, `tenants[${t}].accounts[${a}].id`, `an account not already owned by tenant ${prior}`);
      }
      owner.set(account.id, tenant.id);
    });
  });
}

export function secretsFromEnv(env: NodeJS.ProcessEnv = process.env): Secrets {
  return {
    slackBotToken: env.SLACK_BOT_TOKEN || undefined,
    slackSigningSecret: env.SLACK_SIGNING_SECRET || undefined,
    slackAppToken: env.SLACK_APP_TOKEN || undefined,
    intakeSecret: env.PICKET_INTAKE_SECRET || undefined,
    redisUrl: env.REDIS_URL || 'redis://127.0.0.1:6379',
  };
}
