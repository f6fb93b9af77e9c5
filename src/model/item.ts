/**
 * What the reader hands to the rest of the pipeline: every item it found in an
 * input, each with exactly one fate. Items that are not rejected or ignored
 * carry the raw document that normalization turns into a Signal.
 */

export type ItemKind = 'guardduty-finding' | 'malware-scan' | 'cloudtrail';

/** Which wrapper the item came out of; shown in triage output and logs. */
export type Wrapper =
  | 'finding'
  | 'get-findings'
  | 'eventbridge'
  | 'sns'
  | 'sqs'
  | 's3-export'
  | 'cloudtrail-log'
  | 'cloudtrail-record';

export interface ItemOrigin {
  /** File path, 'http', 'sqs:<queue>', 'poller:<account>/<region>' ... */
  file: string;
  /** Position of the item within its input, counted from 0. */
  index: number;
  wrapper: Wrapper;
}

export type ReadItem =
  | { status: 'ok'; kind: ItemKind; origin: ItemOrigin; doc: Record<string, unknown> }
  | { status: 'ignored'; origin: ItemOrigin; reason: string; doc?: unknown }
  | { status: 'rejected'; origin: ItemOrigin; reason: string; doc?: unknown };
