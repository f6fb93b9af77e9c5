/**
 * Timestamps arrive as ISO strings, epoch seconds, epoch milliseconds (or
 * micro/nanoseconds), `YYYY-MM-DD HH:MM:SS.fff` (sometimes with nanoseconds),
 * or RFC 1123 dates. All become ISO 8601 UTC strings; anything else becomes
 * undefined, never "Invalid Date" and never a date guessed from garbage.
 */

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?(?:\.(\d+))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const RFC_1123 = /^[A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} (GMT|UTC|[+-]\d{4})$/;

/** Epoch values below this (Sep 2001, before any AWS event) are counts or ids, not times. */
const MIN_EPOCH_SECONDS = 1e9;
const EPOCH_MS_THRESHOLD = 1e11;
const EPOCH_US_THRESHOLD = 1e14;
const EPOCH_NS_THRESHOLD = 1e17;

export function parseTimestamp(value: unknown): string | undefined {
  if (value instanceof Date) return validIso(value.getTime());
  if (typeof value === 'number') return fromEpoch(value);
  if (typeof value !== 'string') return undefined;

  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return fromEpoch(Number(text));

  const match = DATE_TIME.exec(text);
  if (match) return fromParts(match);
  return RFC_1123.test(text) ? validIso(Date.parse(text)) : undefined;
}

function fromParts(match: RegExpExecArray): string | undefined {
  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '0', zone = 'Z'] = match;
  if (!realDate(Number(year), Number(month), Number(day))) return undefined;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return undefined;

  const millis = fraction.slice(0, 3).padEnd(3, '0');
  const offset = zone.toUpperCase() === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  return validIso(Date.parse(`${year}-${month}-${day}T${hour}:${minute}:${second}.${millis}${offset}`));
}

/** Date.parse rolls 2024-02-30 over to March; a timestamp that never existed is garbage. */
function realDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function fromEpoch(value: number): string | undefined {
  if (!Number.isFinite(value) || value < MIN_EPOCH_SECONDS) return undefined;
  if (value >= EPOCH_NS_THRESHOLD) return validIso(value / 1e6);
  if (value >= EPOCH_US_THRESHOLD) return validIso(value / 1e3);
  return validIso(value >= EPOCH_MS_THRESHOLD ? value : value * 1000);
}

function validIso(ms: number): string | undefined {
  if (!Number.isFinite(ms)) return undefined;
  const date = new Date(Math.trunc(ms));
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
