/**
 * The shapes every card builder returns and accepts. A Card is exactly what
 * chat.postMessage needs besides the channel: the notification fallback text
 * and the blocks. Both are already escaped; callers post them as they are.
 */
import type { KnownBlock } from '@slack/types';

export type { KnownBlock };

export interface Card {
  /** Notification fallback: plain, escaped, short. */
  text: string;
  blocks: KnownBlock[];
}

export interface CardOptions {
  /** Friendly tenant name shown in the context line. */
  tenantName?: string;
  /** Add the GuardDuty console button when the ids allow it. Defaults to true. */
  consoleUrl?: boolean;
  /** One extra line for the context block, e.g. why the card was re-posted. Escaped here. */
  note?: string;
  /** The wrapper the item arrived in (eventbridge, sns, ...), shown beside the source. */
  wrapper?: string;
}
