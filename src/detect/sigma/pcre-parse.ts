/**
 * A reader for the PCRE dialect Sigma's `re` modifier uses. Every construct
 * either gets a node that reproduces PCRE's meaning or is refused with a
 * reason: JavaScript silently reads many PCRE escapes as other things (`\A`
 * as "A", `\Q` as "Q", `[[:digit:]]` as a set of punctuation), so nothing
 * reaches `new RegExp` that was not understood here first.
 */

import { PicketError } from '../../core/errors.js';
import { EMPTY, type Node, type ParsedRegex } from './pcre-ast.js';
import { classNode, escapeInClass, escapeLiteral, posixClass, property, shorthand, type ClassItem, type SetItem } from './pcre-escapes.js';

/** A regex the engine will not run: unsupported, ambiguous between dialects, or too costly. */
export class RegexRefused extends PicketError {
  constructor(message: string) {
    super('RULE_REGEX', message);
  }
}

const FLAGS = new Set(['i', 'm', 's']);
const MAX_REPEAT = 1000;
/** Group nesting deeper than this is refused: the readers recurse once per level. */
const MAX_DEPTH = 50;

export function parsePcre(source: string, modifierFlags: string[]): ParsedRegex {
  // PCRE-style leading flags, `(?i)` and the like, are common in Sigma rules.
  const inline = /^\(\?([a-zA-Z]+)\)/.exec(source);
  const flags = new Set([...modifierFlags, ...(inline?.[1] ?? '')]);
  const unknown = [...flags].find((f) => !FLAGS.has(f));
  if (unknown) throw new RegexRefused(`inline regex flag "${unknown}" is not supported (only i, m, s)`);

  const parser = new Parser(source, inline?.[0].length ?? 0, flags);
  const node = parser.parseAlt();
  parser.expectEnd();
  return { node, caseless: flags.has('i') };
}

class Parser {
  constructor(
    private readonly src: string,
    private pos: number,
    private readonly flags: Set<string>,
  ) {}

  private depth = 0;

  expectEnd(): void {
    if (this.pos < this.src.length) throw new RegexRefused(`unmatched ")" at offset ${this.pos}`);
  }

  parseAlt(): Node {
    const options = [this.parseSeq()];
    while (this.src[this.pos] === '|') {
      this.pos++;
      options.push(this.parseSeq());
    }
    return options.length === 1 ? (options[0] as Node) : { type: 'alt', options };
  }

  private parseSeq(): Node {
    const items: Node[] = [];
    while (this.pos < this.src.length && this.src[this.pos] !== '|' && this.src[this.pos] !== ')') {
      const atom = this.src.startsWith('\\Q', this.pos) ? this.quoted(items) : this.parseAtom();
      if (atom) items.push(this.parseQuantifier(atom));
    }
    return items.length === 1 ? (items[0] as Node) : { type: 'seq', items };
  }

  private parseQuantifier(atom: Node): Node {
    const bounds = this.readBounds();
    if (!bounds) return atom;
    if (atom.type === 'assert' || atom.type === 'look') throw new RegexRefused('a quantifier on an assertion is not supported');
    const [min, max] = bounds;
    const next = this.src[this.pos];
    if (next === '+') throw new RegexRefused('possessive quantifiers (*+, ++, ?+) are not supported');
    if (next === '?') this.pos++;
    if (this.readBounds()) throw new RegexRefused(`nothing to repeat at offset ${this.pos}`);
    return { type: 'repeat', body: atom, min, max, lazy: next === '?' };
  }

  /** Consumes `*`, `+`, `?` or a `{n,m}` quantifier and returns its bounds. */
  private readBounds(): [number, number] | undefined {
    const c = this.src[this.pos];
    if (c === '*' || c === '+' || c === '?') {
      this.pos++;
      return [c === '+' ? 1 : 0, c === '?' ? 1 : Infinity];
    }
    if (c !== '{') return undefined;
    const m = /^\{(\d*)(,(\d*))?\}/.exec(this.src.slice(this.pos));
    if (!m || (m[1] === '' && m[3] === undefined)) return undefined;
    if (m[1] === '') throw new RegexRefused('{,n} means "up to n" in new PCRE and literal text in old; write {0,n}');
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT)) throw new RegexRefused(`repeat counts above ${MAX_REPEAT} are not supported`);
    if (max < min) throw new RegexRefused(`{${min},${max}}: the numbers are out of order`);
    this.pos += m[0].length;
    return [min, max];
  }

  private parseAtom(): Node | undefined {
    const code = this.src.codePointAt(this.pos) as number;
    const ch = String.fromCodePoint(code);
    this.pos += ch.length;
    switch (ch) {
      case '(':
        return this.parseGroup();
      case '[':
        return this.parseClass();
      case '.':
        return this.flags.has('s') ? anyChar() : setNode({ negated: { inner: '\\n', ranges: [[10, 10]] } }, false);
      case '^':
        return { type: 'assert', kind: this.flags.has('m') ? 'lineStart' : 'start' };
      case '$':
        return { type: 'assert', kind: this.flags.has('m') ? 'lineEnd' : 'endOrFinalNewline' };
      case '\\':
        return this.parseEscape();
      case '*':
      case '+':
      case '?':
        throw new RegexRefused(`nothing to repeat at offset ${this.pos - 1}`);
      default:
        if (ch === '{' && /^\d+(,\d*)?\}/.test(this.src.slice(this.pos))) {
          throw new RegexRefused(`nothing to repeat at offset ${this.pos - 1}`);
        }
        return literal(code);
    }
  }

  private parseGroup(): Node | undefined {
    const rest = this.src.slice(this.pos);
    let look: { behind: boolean; negate: boolean } | undefined;
    if (rest.startsWith('*')) throw new RegexRefused('PCRE verbs such as (*UTF) are not supported');
    if (rest.startsWith('?#')) return this.skipComment();
    if (rest.startsWith('?')) {
      const head = /^\?(:|=|!|<=|<!|P?<[A-Za-z_]\w*>|'[A-Za-z_]\w*')/.exec(rest);
      if (!head) throw new RegexRefused(groupRefusal(rest));
      this.pos += head[0].length;
      const kind = head[1] as string;
      if (['=', '!', '<=', '<!'].includes(kind)) look = { behind: kind.startsWith('<'), negate: kind.endsWith('!') };
    }

    if (++this.depth > MAX_DEPTH) throw new RegexRefused(`groups nested more than ${MAX_DEPTH} deep are not supported`);
    const body = this.parseAlt();
    this.depth--;
    if (this.src[this.pos] !== ')') throw new RegexRefused('missing ")"');
    this.pos++;
    return look ? { type: 'look', ...look, body } : wrapGroup(body);
  }

  private skipComment(): undefined {
    const end = this.src.indexOf(')', this.pos);
    if (end < 0) throw new RegexRefused('missing ")" after (?#');
    this.pos = end + 1;
    return undefined;
  }

  private parseEscape(): Node | undefined {
    const c = this.src[this.pos++] ?? '';
    if (c === '') throw new RegexRefused('the pattern ends with a lone backslash');
    const anchor = ANCHORS[c];
    if (anchor) return { type: 'assert', kind: anchor };
    if (c === 'E') return undefined;
    if (c === 'R') return newlineSequence();
    if (c === 'N' && this.src[this.pos] !== '{') return setNode({ negated: { inner: '\\n', ranges: [[10, 10]] } }, false);
    const item = shorthand(c);
    if (item) return setNode(item, false);
    if (c === 'p' || c === 'P') return setNode(this.readProperty(c === 'P'), false);
    return literal(this.characterEscape(c, false));
  }

  /**
   * `\Q...\E`: everything between is literal text. All but the last
   * character go straight into `items`; the last is returned, since a
   * quantifier after `\E` applies to it alone.
   */
  private quoted(items: Node[]): Node | undefined {
    const from = this.pos + 2;
    const end = this.src.indexOf('\\E', from);
    const chars = [...this.src.slice(from, end < 0 ? undefined : end)].map((ch) => literal(ch.codePointAt(0) as number));
    this.pos = end < 0 ? this.src.length : end + 2;
    items.push(...chars.slice(0, -1));
    return chars[chars.length - 1];
  }

  private readProperty(upper: boolean): ClassItem {
    const m = /^(?:\{(\^?[A-Za-z_&]+)\}|([A-Za-z]))/.exec(this.src.slice(this.pos));
    if (!m) throw new RegexRefused('\\p needs a property name: \\p{L} or \\pL');
    this.pos += m[0].length;
    const result = property(m[1] ?? m[2] ?? '', upper, this.flags.has('i'));
    if (typeof result === 'string') throw new RegexRefused(result);
    return result;
  }

  /** An escape that stands for one character; `c` has been consumed. */
  private characterEscape(c: string, inClass: boolean): number {
    const simple = SIMPLE[c];
    if (simple !== undefined) return simple;
    if (c === 'b' && inClass) return 8;
    if (c === 'x') return this.readNumber(/^\{([0-9a-fA-F]+)\}|^([0-9a-fA-F]{0,2})/, 16);
    if (c === 'o') return this.readNumber(/^\{([0-7]+)\}/, 8);
    if (c === '0') return this.readNumber(/^()([0-7]{0,2})/, 8);
    if (c === 'c') return this.controlChar();
    if (/[1-9]/.test(c)) throw new RegexRefused(`\\${c}: backreferences (and octal escapes other than \\0) are not supported`);
    if (c === 'g' || c === 'k') throw new RegexRefused(`\\${c}: backreferences and subroutine calls are not supported`);
    if (/[A-Za-z0-9]/.test(c)) throw new RegexRefused(`the escape \\${c} is not supported`);
    // Backslash and any other character is that character, in PCRE as in JavaScript.
    const code = this.src.codePointAt(this.pos - 1) as number;
    if (code > 0xffff) this.pos++;
    return code;
  }

  private readNumber(pattern: RegExp, radix: number): number {
    const m = pattern.exec(this.src.slice(this.pos));
    if (!m) throw new RegexRefused(`malformed escape at offset ${this.pos}`);
    this.pos += m[0].length;
    const digits = m[1] || m[2] || '';
    const code = digits === '' ? 0 : parseInt(digits, radix);
    if (code > 0x10ffff) throw new RegexRefused('character code above U+10FFFF');
    return code;
  }

  private controlChar(): number {
    const ch = this.src[this.pos++] ?? '';
    if (!/^[\x20-\x7e]$/.test(ch)) throw new RegexRefused('\\c must be followed by a printable ASCII character');
    return ch.toUpperCase().charCodeAt(0) ^ 0x40;
  }

  private parseClass(): Node {
    const negate = this.src[this.pos] === '^';
    if (negate) this.pos++;
    const items: ClassItem[] = [];
    let first = true;
    while (this.src[this.pos] !== ']' || first) {
      if (this.pos >= this.src.length) throw new RegexRefused('missing "]"');
      first = false;
      items.push(this.classItem());
    }
    this.pos++;
    return classNode(items, negate);
  }

  private classItem(): ClassItem {
    const posix = /^\[:(\^?)([^\]:]*):\]/.exec(this.src.slice(this.pos));
    if (posix) {
      this.pos += posix[0].length;
      const item = posixClass(posix[2] as string, posix[1] === '^');
      if (!item) throw new RegexRefused(`unknown POSIX class [:${posix[2]}:]`);
      return item;
    }
    const lo = this.classAtom();
    const isRange = this.src[this.pos] === '-' && this.src[this.pos + 1] !== ']' && this.pos + 1 < this.src.length;
    if (!isRange) return typeof lo === 'number' ? single(lo) : lo;
    if (typeof lo !== 'number') throw new RegexRefused('a range in a class must run between two characters');
    this.pos++;
    const hi = this.classAtom();
    if (typeof hi !== 'number') throw new RegexRefused('a range in a class must run between two characters');
    if (hi < lo) throw new RegexRefused('a range in a class is out of order');
    return { inner: `${escapeInClass(lo)}-${escapeInClass(hi)}`, ranges: [[lo, hi]] };
  }

  /** One character of a class (its code), or a set escape. */
  private classAtom(): number | ClassItem {
    const code = this.src.codePointAt(this.pos) as number;
    this.pos += code > 0xffff ? 2 : 1;
    if (code !== 0x5c) return code;
    const c = this.src[this.pos++] ?? '';
    if (c === 'Q' || c === 'E') throw new RegexRefused('\\Q...\\E inside a class is not supported');
    const item = shorthand(c);
    if (item) return item;
    if (c === 'p' || c === 'P') return this.readProperty(c === 'P');
    if ('ABzZGRNXKC'.includes(c) && c !== '') throw new RegexRefused(`\\${c} is not allowed inside a class`);
    return this.characterEscape(c, true);
  }
}

const ANCHORS: Record<string, Extract<Node, { type: 'assert' }>['kind']> = {
  A: 'start',
  z: 'end',
  Z: 'endOrFinalNewline',
  b: 'wordBoundary',
  B: 'notWordBoundary',
};

const SIMPLE: Record<string, number> = { a: 7, e: 0x1b, f: 0x0c, n: 0x0a, r: 0x0d, t: 0x09 };

function groupRefusal(rest: string): string {
  if (rest.startsWith('?>')) return 'atomic groups (?>...) are not supported';
  if (rest.startsWith('?|')) return 'branch-reset groups (?|...) are not supported';
  if (rest.startsWith('?(')) return 'conditional groups are not supported';
  if (/^\?(R|[+-]?\d|&|P[=>])/.test(rest)) return 'recursion, subroutine calls and backreferences are not supported';
  if (/^\?[a-zA-Z^-]+[:)]/.test(rest)) return 'inline flags are only supported at the very start of the pattern';
  return `unknown group syntax "(${rest.slice(0, 3)}"`;
}

function literal(code: number): Node {
  return { type: 'char', js: escapeLiteral(code), ranges: [[code, code]], lit: String.fromCodePoint(code) };
}

function single(code: number): SetItem {
  return { inner: escapeInClass(code), ranges: [[code, code]] };
}

function anyChar(): Node {
  return { type: 'char', js: '[^]', ranges: [[0, 0x10ffff]] };
}

/** A group's body as a node of its own, so a quantifier after it applies to all of it. */
function wrapGroup(body: Node): Node {
  if (body.type !== 'seq') return body;
  return body.items.length === 0 ? EMPTY : { type: 'alt', options: [body] };
}

function setNode(item: ClassItem, negate: boolean): Node {
  return classNode([item], negate);
}

function newlineSequence(): Node {
  const cr = literal(13);
  const lf = literal(10);
  const vertical: Node = { type: 'char', js: '[\\n-\\r\\x85\\u2028\\u2029]', ranges: [[10, 13], [0x85, 0x85], [0x2028, 0x2029]] };
  // PCRE's \R is atomic: a CR followed by LF is always taken as one newline.
  const notCrLf: Node = { type: 'look', behind: false, negate: true, body: { type: 'seq', items: [cr, lf] } };
  return { type: 'alt', options: [{ type: 'seq', items: [cr, lf] }, { type: 'seq', items: [notCrLf, vertical] }] };
}
