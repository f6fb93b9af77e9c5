import { z } from 'zod';
import { ResponseSchema } from './response-schema.js';

/**
 * The shape of picket.yml. Everything here is validated at start-up; an error
 * names the file, the field and what was expected (see load.ts).
 */

// YAML reads an unquoted 111122223333 as a number (and drops a leading zero): say to quote it.
const accountId = z
  .string({ error: (issue) => (issue.input === undefined ? 'required: a 12-digit AWS account id' : 'a 12-digit AWS account id in quotes, e.g. "111122223333"') })
  .regex(/^\d{12}$/, 'a 12-digit AWS account id');
// Partition prefix, direction, number: catches typos such as eu-wst-1 without a list that ages.
const region = z
  .string()
  .regex(
    /^(us|eu|ap|sa|ca|me|af|il|mx|cn|us-gov|us-iso|us-isob|eusc-de)-(east|west|north|south|central|northeast|northwest|southeast|southwest)-\d+$/,
    'an AWS region such as us-east-1',
  );
const channelId = z
  .string({ error: (issue) => (issue.input === undefined ? 'required: a Slack channel id such as C0123ABCD' : 'a Slack channel id such as C0123ABCD') })
  .regex(/^[CGD][A-Z0-9]{2,}$/, 'a Slack channel id such as C0123ABCD');
const ruleId = z.string().min(1);

export const AccountSchema = z.strictObject({
  id: accountId,
  regions: z.array(region).min(1).default(['us-east-1']),
  role_arn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, 'an IAM role ARN').optional(),
  external_id: z.string().min(2).max(1224).optional(),
  /** The role remediation assumes (same external id); without it, role_arn serves both. */
  remediation_role_arn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, 'an IAM role ARN').optional(),
});

export const TenantSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes'),
  name: z.string().min(1).max(80),
  accounts: z.array(AccountSchema).default([]),
  soc_channel: channelId.optional(),
  customer_channel: channelId.optional(),
  samples: z.enum(['post', 'suppress']).optional(),
  opt_in: z.array(ruleId).default([]),
  dry_run: z.array(ruleId).default([]),
  /** Who may act on this tenant's alerts and how; without it nobody may, and nothing runs by itself. */
  response: ResponseSchema.optional(),
});

export const ConfigSchema = z.strictObject({
  soc_channel: channelId,
  samples: z.enum(['post', 'suppress']).default('post'),
  tenants: z.array(TenantSchema).default([]),
  intake: z
    .strictObject({
      path: z.string().startsWith('/').default('/intake/eventbridge'),
      max_body_bytes: z.number().int().min(1024).max(10 * 1024 * 1024).default(1024 * 1024),
    })
    .default({ path: '/intake/eventbridge', max_body_bytes: 1024 * 1024 }),
  poller: z
    .strictObject({
      enabled: z.boolean().default(false),
      interval_seconds: z.number().int().min(30).default(300),
    })
    .default({ enabled: false, interval_seconds: 300 }),
  sqs: z
    .strictObject({
      queue_url: z.string().url(),
      region,
      wait_seconds: z.number().int().min(1).max(20).default(20),
    })
    .optional(),
  rules: z.array(z.string()).default(['rules']),
  /** Response settings for accounts that belong to no tenant. */
  response: ResponseSchema.optional(),
});

export type PicketConfig = z.infer<typeof ConfigSchema>;
export type TenantConfig = z.infer<typeof TenantSchema>;
export type AccountConfig = z.infer<typeof AccountSchema>;
