/**
 * The `hunt:` section of a hunt file (docs/hunting.md). The Sigma part of the
 * file is the rule engine's business; this is what a hunt adds: why to look,
 * where LookupEvents can narrow the search, and how matches are counted.
 */

import { z } from 'zod';
import { WINDOW_PATTERN } from '../detect/rule-schema.js';

/** The attributes CloudTrail LookupEvents accepts, one per call. */
export const LOOKUP_ATTRIBUTES = ['EventId', 'EventName', 'ReadOnly', 'Username', 'ResourceType', 'ResourceName', 'EventSource', 'AccessKeyId'] as const;
export type LookupAttribute = (typeof LOOKUP_ATTRIBUTES)[number];

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

const window = z.string().regex(WINDOW_PATTERN, 'expected a number and a unit s, m, h or d (e.g. 1h)');
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM in UTC, e.g. 08:30');

/** A field path, or a list of paths of which the first present one counts. */
const fieldSpec = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);
export type FieldSpec = z.output<typeof fieldSpec>;

const lookupSchema = z.strictObject({
  attribute: z.enum(LOOKUP_ATTRIBUTES),
  // Each value is its own LookupEvents query; a handful keeps a run cheap.
  values: z.array(z.string().min(1)).min(1).max(5),
});

const aggregateSchema = z.strictObject({
  by: z.array(fieldSpec).min(1),
  within: window.optional(),
  distinct: fieldSpec.optional(),
  more_than: z.number().int().min(0).default(0),
  at_most: z.number().int().min(1).optional(),
  baseline: z.strictObject({ at_least: z.number().int().min(1) }).optional(),
  first_event: z.record(z.string().min(1), z.union([z.string(), z.array(z.string()).min(1)])).optional(),
});

const changeWindowSchema = z.strictObject({
  days: z.array(z.enum(WEEKDAYS)).min(1).default(['mon', 'tue', 'wed', 'thu', 'fri']),
  from: clock,
  to: clock,
});

const pivotSchema = z.strictObject({
  attribute: z.enum(LOOKUP_ATTRIBUTES),
  from: fieldSpec,
  max: z.number().int().min(1).max(20).default(10),
});

/** One event, or `repeat` copies of it spaced `every` apart with `vary` values cycled in. */
const repeatSchema = z.strictObject({
  repeat: z.number().int().min(1).max(500),
  every: window.default('1m'),
  event: z.record(z.string(), z.unknown()),
  vary: z.record(z.string().min(1), z.array(z.unknown()).min(1)).optional(),
});
export type RepeatSpec = z.output<typeof repeatSchema>;

const testSchema = z
  .strictObject({
    name: z.string().min(1),
    events: z.array(z.union([repeatSchema, z.record(z.string(), z.unknown())])).min(1).optional(),
    fixture: z.string().min(1).optional(),
    expect: z.strictObject({
      groups: z.number().int().min(0),
      matched: z.number().int().min(0).optional(),
      keys: z.array(z.record(z.string(), z.string())).optional(),
    }),
  })
  .refine((t) => (t.events === undefined) !== (t.fixture === undefined), { message: 'give exactly one of events or fixture' });
export type HuntTest = z.output<typeof testSchema>;

export const huntSectionSchema = z
  .strictObject({
    hypothesis: z.string().min(1),
    technique: z.string().regex(/^T\d{4}(\.\d{3})?$/, 'expected an ATT&CK technique id such as T1078 or T1078.004'),
    lookup: lookupSchema,
    window,
    aggregate: aggregateSchema,
    outside_change_window: changeWindowSchema.optional(),
    pivot: pivotSchema.optional(),
    geo: z.boolean().default(false),
    on_hit: z.array(z.string().min(1)).min(2).max(3),
    tests: z.array(testSchema).min(1),
  })
  .refine((h) => h.aggregate.baseline === undefined || h.aggregate.by.length >= 2, {
    message: 'baseline compares a group with its parent: give at least two by fields',
    path: ['aggregate', 'baseline'],
  });

export type HuntSection = z.output<typeof huntSectionSchema>;
export type Aggregate = HuntSection['aggregate'];
export type ChangeWindow = NonNullable<HuntSection['outside_change_window']>;
