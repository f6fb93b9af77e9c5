/**
 * Everything that turns untrusted finding text into something safe to show in
 * Slack. Finding fields are attacker-influenced (user agents, command lines,
 * bucket names, descriptions), so nothing reaches a card without passing here.
 *
 * Order matters: sanitize (control characters, mention words) first, then cut
 * to length, then escape the three characters Slack parses. Cutting before
 * escaping means an entity like `&lt;` can never be split in half.
 */

/** C0 controls except \t and \n, DEL, C1 controls, and bidi overrides that can disguise text. */
/** Half of a surrogate pair on its own is not Unicode; strict JSON decoders refuse the whole payload. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const UNSAFE_CHARS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** The broadcast words Slack may turn into a ping when link parsing is on. */
const BROADCAST = /@(?=(?:channel|here|everyone)\b)/gi;

const ZERO_WIDTH_JOINER = '\u200D';

/** Values a careless upstream stringification produces; never shown as data. */
const PLACEHOLDER_STRINGS: ReadonlySet<string> = new Set(['undefined', 'null', 'NaN', '[object Object]']);

export interface SanitizeOptions {
  /** Keep line breaks; otherwise every line break becomes a space. */
  multiline?: boolean;
}

/** Strip control characters and defuse @channel/@here/@everyone; no entity escaping yet. */
export function sanitize(s: string, opts: SanitizeOptions = {}): string {
  const unified = s.replace(/\r\n?/g, '\n').replace(/\t/g, ' ');
  const lines = opts.multiline ? unified : unified.replace(/\n/g, ' ');
  return lines.replace(UNSAFE_CHARS, '').replace(LONE_SURROGATE, '\uFFFD').replace(BROADCAST, `@${ZERO_WIDTH_JOINER}`);
}

/** Escape the three characters Slack treats as markup: `&`, `<`, `>`. */
export function escapeEntities(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Slack-safe text from untrusted input: no controls (\n kept), no mentions, no links. */
export function escapeText(s: string): string {
  return escapeEntities(sanitize(s, { multiline: true }));
}

/** `…[truncated 98,304 chars]` */
function marker(removed: number): string {
  return `…[truncated ${removed.toLocaleString('en-US')} chars]`;
}

/** Move a cut point left so it splits neither a surrogate pair nor an entity we produced. */
function safeCut(s: string, at: number): number {
  let cut = at;
  const code = s.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;

  const amp = s.lastIndexOf('&', cut - 1);
  if (amp >= 0 && amp > cut - 5 && /^&(?:amp|lt|gt);/.test(s.slice(amp, amp + 5))) {
    const end = s.indexOf(';', amp);
    if (end >= cut) cut = amp;
  }
  return Math.max(cut, 0);
}

/**
 * Cut `s` to at most `max` characters (UTF-16 units, which never undercounts
 * what Slack counts), ending with a visible marker that says how much went.
 */
export function truncate(s: string, max: number): string {
  const limit = Math.max(0, Math.floor(Number.isFinite(max) ? max : 0));
  if (s.length <= limit) return s;
  if (limit < marker(s.length).length) return s.slice(0, safeCut(s, Math.max(limit - 1, 0))) + (limit > 0 ? '…' : '');

  // The marker's width depends on the count it prints; two passes settle it.
  let keep = limit - marker(s.length).length;
  keep = limit - marker(s.length - keep).length;
  const cut = safeCut(s, keep);
  return s.slice(0, cut) + marker(s.length - cut);
}

/**
 * Sanitize, cut and escape so the escaped result fits `max`. Escaping can grow
 * text up to five times (`&` → `&amp;`), so the raw budget is found by binary
 * search; the marker then counts raw characters, which is what a reader cares about.
 */
export function escapeFit(raw: string, max: number, opts: SanitizeOptions = {}): string {
  const clean = sanitize(raw, opts);
  const fitted = (budget: number): string => escapeEntities(truncate(clean, budget));
  const whole = fitted(max);
  if (whole.length <= max) return whole;

  // Escaped length grows with the budget within each regime: below the marker's
  // own width truncate ends in a bare "…", above it the marker counts the cut.
  const markerWidth = marker(clean.length).length;
  let lo = fitted(markerWidth).length <= max ? markerWidth : 0;
  let hi = lo === 0 ? markerWidth - 1 : max;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fitted(mid).length <= max) lo = mid;
    else hi = mid - 1;
  }
  return fitted(lo);
}

/** A usable display value, or undefined for missing, empty and placeholder values. */
export function present(v: unknown): string | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : undefined;
  if (typeof v !== 'string') return undefined;
  const trimmed = v.trim();
  if (trimmed === '' || PLACEHOLDER_STRINGS.has(trimmed)) return undefined;
  return trimmed;
}

/** Backticks would close a code span early; a look-alike keeps the value readable. */
function defuseBackticks(s: string): string {
  return s.replace(/`/g, 'ˋ');
}

/**
 * An untrusted single-line value inside inline code: formatting characters
 * (`*_~`) stay literal there, and the escaping keeps out links and mentions.
 */
export function code(v: unknown, max = 200): string | undefined {
  const value = present(v);
  if (value === undefined) return undefined;
  return `\`${escapeFit(defuseBackticks(value), Math.max(max - 2, 1))}\``;
}

/** An untrusted multi-line value as a preformatted block. */
export function codeBlock(v: unknown, max = 1500): string | undefined {
  const value = present(v);
  if (value === undefined) return undefined;
  return `\`\`\`\n${escapeFit(defuseBackticks(value), Math.max(max - 8, 1), { multiline: true })}\n\`\`\``;
}

/** Untrusted prose for plain_text objects and fallback text. */
export function prose(v: unknown, max: number, opts: SanitizeOptions = { multiline: true }): string | undefined {
  const value = present(v);
  if (value === undefined) return undefined;
  return escapeFit(value, max, opts);
}
