/**
 * A hunt result as short plain lines, for the terminal and for the Slack
 * summary (where the card builder escapes them).
 */

import type { HuntGroup, HuntResult } from './collect.js';
import type { Hunt } from './load.js';

export function summaryLines(result: HuntResult, max = 15): string[] {
  const head = `${result.groups.length} group(s) from ${result.matched} match(es) in ${result.scanned} record(s)${result.truncated ? ' (search stopped early: partial)' : ''}`;
  const groups = result.groups.slice(0, max).map(groupLine);
  const more = result.groups.length > max ? [`…and ${result.groups.length - max} more group(s)`] : [];
  return [head, ...groups, ...more, ...result.notes];
}

export function groupLine(group: HuntGroup): string {
  const key = Object.entries(group.key).map(([field, value]) => `${shortField(field)}=${value}`).join(' ');
  const span = group.first && group.last ? ` ${group.first} → ${group.last}` : '';
  const measure = group.measure !== group.count ? ` (measure ${group.measure})` : '';
  const values = group.values && group.values.length > 0 ? ` [${group.values.slice(0, 5).join(', ')}${group.values.length > 5 ? ', …' : ''}]` : '';
  return `${key}: ${group.count} event(s)${measure}${span}${values}`;
}

/** `userIdentity.arn` reads as `arn`; the last path segment is enough once the hunt is known. */
function shortField(field: string): string {
  return field.split('.').pop() ?? field;
}

export function huntLine(hunt: Hunt): string {
  return `${hunt.id} (${hunt.spec.technique}, ${hunt.spec.window}): ${hunt.title}`;
}
