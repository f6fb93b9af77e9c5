import type { ItemOrigin, OkItem, ReadItem } from '../../src/model/item.js';

/** Small reader outputs for transport tests that do not need the real reader. */

export function finding(id: string, updatedAt: string, extra: Record<string, unknown> = {}, origin: Partial<ItemOrigin> = {}): OkItem {
  return {
    status: 'ok',
    kind: 'guardduty-finding',
    origin: { file: 'test', index: 0, wrapper: 'finding', ...origin },
    doc: { id, type: 'Recon:EC2/PortProbeUnprotectedPort', updatedAt, accountId: '111122223333', region: 'us-east-1', ...extra },
  };
}

export function logRecord(eventID: string, file: string, index: number): OkItem {
  return {
    status: 'ok',
    kind: 'cloudtrail',
    origin: { file, index, wrapper: 'cloudtrail-log' },
    doc: { eventID, eventName: 'StopLogging', eventSource: 'cloudtrail.amazonaws.com', eventTime: '2024-05-01T10:00:00Z' },
  };
}

export function rejected(reason: string, doc: unknown, file = 'test', index = 0): ReadItem {
  return { status: 'rejected', origin: { file, index, wrapper: 'unknown' }, reason, doc };
}

export function ignored(reason: string, file = 'test', index = 0): ReadItem {
  return { status: 'ignored', origin: { file, index, wrapper: 'unknown' }, reason };
}

/** A stand-in for jobIdFor: stable from id and updatedAt, no ':'. */
export function testJobId(item: OkItem): string {
  const id = String(item.doc.id ?? item.doc.eventID);
  const stamp = String(item.doc.updatedAt ?? item.doc.eventTime ?? 'na');
  return `${item.kind}-${id}-${Date.parse(stamp)}`;
}

/** Captures log lines as parsed records. */
export function captureLog(): { lines: Array<Record<string, unknown>>; write: (line: string) => void } {
  const lines: Array<Record<string, unknown>> = [];
  return { lines, write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) };
}

import type { Signal } from '../../src/model/signal.js';
import type { Triaged } from '../../src/pipeline/triage.js';

export function signal(id: string, count: number, updatedAt: string): Signal {
  return {
    source: 'guardduty', id, type: 'Recon:EC2/PortProbeUnprotectedPort', title: 'Unprotected port probed', partition: 'aws',
    severity: 5, severityLabel: 'Medium', count, updatedAt, lastSeen: updatedAt, sample: false, archived: false,
    resource: { type: 'Instance', id: 'i-0abc' }, remotes: [], doc: {},
  };
}

/** What triage hands delivery for an alert: a card for a channel under a cardKey. */
export function alert(id: string, count: number, updatedAt: string, channel = 'C0SOCALERTS'): Triaged {
  return {
    origin: { file: 'test', index: 0, wrapper: 'finding' },
    outcome: 'alert',
    signal: signal(id, count, updatedAt),
    channel,
    cardKey: `gd:111122223333:${id}`,
    card: { text: `Finding ${id} seen ${count}×`, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `*${id}* ×${count}` } }] },
  };
}
