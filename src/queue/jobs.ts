import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { OkItem } from '../model/item.js';

/**
 * What a job carries. One finding, scan result or EventBridge CloudTrail event
 * is an `item` job; the records of one CloudTrail log file are ONE `batch`
 * job, so a 5,000-record file is not 5,000 Redis jobs.
 */

export type { OkItem };

const OriginSchema = z.object({
  file: z.string(),
  index: z.number().int().min(0),
  wrapper: z.enum(['finding', 'get-findings', 'eventbridge', 'sns', 'sqs', 's3-export', 'cloudtrail-log', 'cloudtrail-record', 'unknown']),
});

const EnvelopeSchema = z.object({
  id: z.string().optional(),
  account: z.string().optional(),
  region: z.string().optional(),
  time: z.string().optional(),
  detailType: z.string().optional(),
});

export const OkItemSchema = z.object({
  status: z.literal('ok'),
  kind: z.enum(['guardduty-finding', 'malware-scan', 'cloudtrail']),
  origin: OriginSchema,
  doc: z.record(z.string(), z.unknown()),
  envelope: EnvelopeSchema.optional(),
});

export const JobDataSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('item'), item: OkItemSchema }),
  z.object({ kind: z.literal('batch'), file: z.string(), items: z.array(OkItemSchema).min(1) }),
]);

export type JobData = z.infer<typeof JobDataSchema>;

export const JOB_NAMES = { item: 'item', batch: 'cloudtrail-log' } as const;

/** Retries with exponential backoff (2 s, 4 s, 8 s ... about 8.5 minutes in all) before the job is dead-lettered. */
export const JOB_OPTIONS = {
  attempts: 9,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
} as const;

/** A batch is named by the ids of its records, so the same log file read twice is one job. */
export function batchJobId(itemJobIds: string[]): string {
  const hash = createHash('sha256');
  for (const id of [...itemJobIds].sort()) hash.update(id).update('\n');
  return `ctlog-${hash.digest('hex').slice(0, 40)}`;
}

/** Items that came out of one CloudTrail log file travel together. */
export function isLogRecord(item: OkItem): boolean {
  return item.origin.wrapper === 'cloudtrail-log';
}
