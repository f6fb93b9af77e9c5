/**
 * Schemas for the parts of a rule file that are plain data: the Sigma header
 * fields Picket reads, and Picket's own `picket:` section (docs/rules.md).
 * The detection section is compiled, not schema-checked: see sigma/detection.ts.
 */

import { z } from 'zod';

/** A dedup window: a whole number and a unit, seconds to days. */
export const WINDOW_PATTERN = /^([1-9]\d*)([smhd])$/;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const SIGMA_LEVELS = ['informational', 'low', 'medium', 'high', 'critical'] as const;

const ruleTestSchema = z
  .strictObject({
    name: z.string().min(1),
    expect: z.enum(['match', 'no-match']),
    event: z.record(z.string(), z.unknown()).optional(),
    fixture: z.string().min(1).optional(),
  })
  .refine((t) => (t.event === undefined) !== (t.fixture === undefined), {
    message: 'give exactly one of event or fixture',
  });

export const picketSchema = z
  .strictObject({
    route: z.enum(['soc', 'duet', 'suppress']).default('soc'),
    question: z.string().min(1).optional(),
    first_action: z.string().min(1).optional(),
    remediation: z.enum(['none', 'deactivate-access-key', 'revoke-role-sessions']).optional(),
    opt_in: z.boolean().default(false),
    dedup: z
      .strictObject({
        fields: z.array(z.string().min(1)).min(1),
        window: z.string().regex(WINDOW_PATTERN, 'expected a number and a unit s, m, h or d (e.g. 1h)'),
      })
      .optional(),
    runbook: z.array(z.string().min(1)).default([]),
    tests: z.array(ruleTestSchema).default([]),
  })
  .refine((p) => p.route !== 'duet' || p.question !== undefined, {
    message: 'route duet asks someone a question: add picket.question',
    path: ['question'],
  });

export type PicketSection = z.output<typeof picketSchema>;
export type RuleTest = PicketSection['tests'][number];

/** Sigma's header; unknown top-level keys (modified, fields, related...) are allowed as Sigma allows them. */
export const sigmaHeaderSchema = z.looseObject({
  title: z.string().min(1),
  id: z.string().regex(UUID, 'expected a UUID'),
  status: z.enum(['stable', 'test', 'experimental', 'deprecated', 'unsupported']).optional(),
  description: z.string().optional(),
  references: z.array(z.string()).optional(),
  author: z.string().optional(),
  tags: z.array(z.string()).default([]),
  logsource: z.looseObject({
    product: z.literal('aws', { message: 'expected aws: Picket reads AWS logs only' }),
    service: z.string().min(1),
  }),
  detection: z.record(z.string(), z.unknown()),
  falsepositives: z.union([z.string(), z.array(z.string())]).optional(),
  level: z.enum(SIGMA_LEVELS),
  picket: z.unknown().optional(),
});

export type SigmaHeader = z.output<typeof sigmaHeaderSchema>;
