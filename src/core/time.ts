/**
 * Timestamps arrive as ISO strings, epoch seconds, epoch milliseconds, or
 * `YYYY-MM-DD HH:MM:SS.fff` (sometimes with nanoseconds). All become ISO 8601
 * UTC strings; anything unparseable becomes undefined, never "Invalid Date".
 */

const SPACE_FORM = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/;
const EPOCH_MS_THRESHOLD = 1e11;

export function parseTimestamp(value: unknown): string | undefined {
  if (value instanceof Date) return validIso(value.getTime());
  if (typeof value === 'number') return fromEpoch(value);
  if (typeof value !== 'string') return undefined;

  const text = value.trim();
  if (text === '') return undefined;
  if (/^-?\d+(\.\d+)?$/.test(text)) return fromEpoch(Number(text));

  const match = SPACE_FORM.exec(text);
  if (match) {
    const [, date, clock, fraction = '0', zone = 'Z'] = match;
    const millis = fraction.slice(0, 3).padEnd(3, '0');
    return validIso(Date.parse(`${date}T${clock}.${millis}${zone}`));
  }
  return validIso(Date.parse(text));
}

function fromEpoch(value: number): string | undefined {
  if (!Number.isFinite(value) || value <= 0) return undefined;
  return validIso(value >= EPOCH_MS_THRESHOLD ? value : value * 1000);
}

function validIso(ms: number): string | undefined {
  if (!Number.isFinite(ms)) return undefined;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
