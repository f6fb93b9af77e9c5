/**
 * Investigation and CloudTrail results as compact thread blocks. Every line
 * came from AWS or an enrichment provider, so all of it is escaped here.
 */
import type { KnownBlock } from '@slack/types';
import type { CloudTrailRow } from '../src/respond/deps.js';
import { code, prose, truncate } from './escape.js';
import { context, section } from './kit.js';
import { enforceLimits } from './limits.js';
import type { Card } from './types.js';

const MAX_LINES = 15;
const MAX_ROWS = 20;

export function investigationCard(title: string, summaryLines: string[], fileCount: number): Card {
  const lines = summaryLines.slice(0, MAX_LINES).map((l) => `• ${prose(l, 280, { multiline: false }) ?? ''}`);
  const more = summaryLines.length > MAX_LINES ? [`…and ${summaryLines.length - MAX_LINES} more lines in the attached file`] : [];
  const blocks: KnownBlock[] = [
    section(`*${prose(title, 200, { multiline: false }) ?? 'Investigation'}*`),
    section(lines.length > 0 ? truncate([...lines, ...more].join('\n'), 2900) : '_No findings from the providers._'),
    context([fileCount > 0 ? `Full results: ${fileCount} file(s) attached below` : 'No files']),
  ];
  return enforceLimits({ text: prose(title, 200, { multiline: false }) ?? 'Investigation', blocks });
}

export function cloudTrailCard(title: string, rows: CloudTrailRow[], truncated: boolean): Card {
  const lines = rows.slice(0, MAX_ROWS).map(rowLine);
  const notes = [`${rows.length} event(s)${truncated || rows.length > MAX_ROWS ? '; more exist, narrow the window' : ''}`];
  const blocks: KnownBlock[] = [
    section(`*${prose(title, 200, { multiline: false }) ?? 'CloudTrail'}*`),
    section(lines.length > 0 ? truncate(lines.join('\n'), 2900) : '_No events in this window._'),
    context(notes),
  ];
  return enforceLimits({ text: prose(title, 200, { multiline: false }) ?? 'CloudTrail', blocks });
}

function rowLine(row: CloudTrailRow): string {
  const parts = [row.eventTime, row.eventName, row.username, row.sourceIp, row.errorCode].map((v) => code(v, 80)).filter((v) => v !== undefined);
  return `• ${parts.join(' · ')}`;
}
