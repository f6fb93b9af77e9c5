/**
 * What the reader hands to the rest of the pipeline: every item it found in an
 * input, each with exactly one fate. Items that are not rejected or ignored
 * carry the document that normalization turns into a Signal.
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
  | 'cloudtrail-record'
  | 'unknown';

export interface ItemOrigin {
  /** File path, 'http', 'sqs:<queue>', 'poller:<account>/<region>' ... */
  file: string;
  /** Position of the item within its input, counted from 0. */
  index: number;
  wrapper: Wrapper;
}

/** The EventBridge envelope around an item, when there was one. */
export interface Envelope {
  id?: string;
  account?: string;
  region?: string;
  time?: string;
  detailType?: string;
}

export interface OkItem {
  status: 'ok';
  kind: ItemKind;
  origin: ItemOrigin;
  doc: Record<string, unknown>;
  envelope?: Envelope;
}

export interface IgnoredItem {
  status: 'ignored';
  origin: ItemOrigin;
  reason: string;
  doc?: unknown;
}

export interface RejectedItem {
  status: 'rejected';
  origin: ItemOrigin;
  reason: string;
  /** The raw value (or text) that could not be used, kept for the dead-letter store. */
  doc?: unknown;
}

export type ReadItem = OkItem | IgnoredItem | RejectedItem;
