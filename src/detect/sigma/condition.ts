/**
 * The Sigma condition language: `and`, `or`, `not`, parentheses, and
 * `1 of` / `any of` / `all of` / `N of` over a selection name, a name pattern
 * with `*`, or `them`. Precedence: not, then and, then or. Aggregations
 * (`| count() ...`) and `near` are refused, not ignored.
 */

import { PicketError } from '../../core/errors.js';

export type Cond =
  | { op: 'and' | 'or'; args: Cond[] }
  | { op: 'not'; arg: Cond }
  | { op: 'ref'; name: string }
  | { op: 'of'; quantity: number | 'all'; pattern: string };

export class ConditionError extends PicketError {
  constructor(message: string) {
    super('RULE_CONDITION', message);
  }
}

const IDENT = /^[A-Za-z0-9_*.-]+$/;

export function parseCondition(text: string): Cond {
  const tokens = tokenize(text);
  const parser = new Parser(tokens);
  const cond = parser.parseOr();
  parser.expectEnd();
  return cond;
}

function tokenize(text: string): string[] {
  if (text.includes('|')) {
    throw new ConditionError('aggregation expressions ("| count() ...") are not supported; use a correlation elsewhere');
  }
  const tokens = text.match(/[()]|[^\s()]+/g) ?? [];
  if (tokens.length === 0) throw new ConditionError('the condition is empty');
  return tokens;
}

class Parser {
  private pos = 0;

  constructor(private readonly tokens: string[]) {}

  parseOr(): Cond {
    const args = [this.parseAnd()];
    while (this.peekWord() === 'or') {
      this.pos++;
      args.push(this.parseAnd());
    }
    return args.length === 1 ? (args[0] as Cond) : { op: 'or', args };
  }

  expectEnd(): void {
    const extra = this.tokens[this.pos];
    if (extra !== undefined) throw new ConditionError(`unexpected "${extra}" at token ${this.pos + 1}`);
  }

  private parseAnd(): Cond {
    const args = [this.parseNot()];
    while (this.peekWord() === 'and') {
      this.pos++;
      args.push(this.parseNot());
    }
    return args.length === 1 ? (args[0] as Cond) : { op: 'and', args };
  }

  private parseNot(): Cond {
    if (this.peekWord() !== 'not') return this.parsePrimary();
    this.pos++;
    return { op: 'not', arg: this.parseNot() };
  }

  private parsePrimary(): Cond {
    const token = this.next('a selection name, "(", "not" or "1 of"');
    const word = token.toLowerCase();
    if (token === '(') {
      const inner = this.parseOr();
      if (this.next('")"') !== ')') throw new ConditionError(`expected ")" at token ${this.pos}`);
      return inner;
    }
    if (this.peekWord() === 'of') return this.parseOf(word);
    if (word === 'near') throw new ConditionError('"near" is not supported');
    if (['and', 'or', 'of', 'them', ')'].includes(word) || !IDENT.test(token)) {
      throw new ConditionError(`unexpected "${token}" at token ${this.pos}`);
    }
    if (token.includes('*')) throw new ConditionError(`a name pattern ("${token}") needs "1 of" or "all of"`);
    return { op: 'ref', name: token };
  }

  private parseOf(quantifier: string): Cond {
    this.pos++;
    const target = this.next('a selection name, a pattern or "them"');
    if (!IDENT.test(target)) throw new ConditionError(`unexpected "${target}" after "of"`);
    if (quantifier === 'all') return { op: 'of', quantity: 'all', pattern: target };
    if (quantifier === 'any') return { op: 'of', quantity: 1, pattern: target };
    if (/^[1-9]\d*$/.test(quantifier)) return { op: 'of', quantity: Number(quantifier), pattern: target };
    throw new ConditionError(`"${quantifier} of" is not a quantifier; use 1, any, all or a count`);
  }

  private peekWord(): string | undefined {
    return this.tokens[this.pos]?.toLowerCase();
  }

  private next(expected: string): string {
    const token = this.tokens[this.pos++];
    if (token === undefined) throw new ConditionError(`the condition ends where ${expected} was expected`);
    return token;
  }
}

/** The selection names an `of` target stands for; `them` skips names starting with `_`. */
export function expandPattern(pattern: string, names: string[]): string[] {
  if (pattern.toLowerCase() === 'them') return names.filter((n) => !n.startsWith('_'));
  if (!pattern.includes('*')) return names.filter((n) => n === pattern);
  const re = new RegExp(`^${pattern.split('*').map(escape).join('.*')}$`);
  return names.filter((n) => re.test(n));
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
