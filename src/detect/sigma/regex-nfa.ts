/**
 * A linear-time matcher for the parsed regex: Thompson's construction and a
 * simulation that keeps every thread in step, so a value is read once
 * whatever the pattern. It answers only "is there a match anywhere", which
 * is all Sigma asks. Character sets, word boundaries and lookarounds are
 * decided by V8 itself (one character or one position at a time), so both
 * engines agree on what a character matches.
 */

import type { AssertKind, Node } from './pcre-ast.js';
import { RegexRefused } from './pcre-parse.js';

/** States above this are refused: the simulation's cost per character grows with them. */
export const MAX_STATES = 2000;

type State =
  | { kind: 'char'; test: (code: number) => boolean; out: number }
  | { kind: 'split'; a: number; b: number }
  | { kind: 'check'; test: (text: string, pos: number) => boolean; out: number }
  | { kind: 'match' };

export type Emit = (node: Node) => string;

export function compileNfa(root: Node, flags: string, emit: Emit): (text: string) => boolean {
  const states: State[] = [{ kind: 'match' }];
  const builder = new Builder(states, flags, emit);
  const start = builder.build(root, 0);
  return simulator(states, start);
}

class Builder {
  constructor(
    private readonly states: State[],
    private readonly flags: string,
    private readonly emit: Emit,
  ) {}

  /** The state that matches `node` and then continues at `next`. */
  build(node: Node, next: number): number {
    switch (node.type) {
      case 'char':
        return this.add({ kind: 'char', test: charTest(node.js, this.flags), out: next });
      case 'seq':
        return node.items.reduceRight((after, item) => this.build(item, after), next);
      case 'alt':
        return node.options.map((o) => this.build(o, next)).reduceRight((b, a) => this.add({ kind: 'split', a, b }));
      case 'repeat':
        return this.repeat(node, next);
      case 'assert':
        return this.add({ kind: 'check', test: this.assertion(node.kind), out: next });
      case 'look':
        return this.add({ kind: 'check', test: this.sticky(this.emit(node)), out: next });
    }
  }

  private repeat(node: Extract<Node, { type: 'repeat' }>, next: number): number {
    let tail = next;
    if (node.max === Infinity) {
      const loop = this.add({ kind: 'split', a: -1, b: next });
      (this.states[loop] as { a: number }).a = this.build(node.body, loop);
      tail = loop;
    } else {
      for (let k = node.min; k < node.max; k++) tail = this.add({ kind: 'split', a: this.build(node.body, tail), b: next });
    }
    for (let k = 0; k < node.min; k++) tail = this.build(node.body, tail);
    return tail;
  }

  private assertion(kind: AssertKind): (text: string, pos: number) => boolean {
    switch (kind) {
      case 'start':
        return (_, pos) => pos === 0;
      case 'end':
        return (text, pos) => pos === text.length;
      case 'endOrFinalNewline':
        return (text, pos) => pos === text.length || (pos === text.length - 1 && text.charCodeAt(pos) === 10);
      case 'lineStart':
        return (text, pos) => pos === 0 || text.charCodeAt(pos - 1) === 10;
      case 'lineEnd':
        return (text, pos) => pos === text.length || text.charCodeAt(pos) === 10;
      case 'wordBoundary':
        return this.sticky('\\b');
      case 'notWordBoundary':
        return this.sticky('\\B');
    }
  }

  /** A zero-width test at one position, decided by V8. */
  private sticky(source: string): (text: string, pos: number) => boolean {
    const re = new RegExp(source, `${this.flags}y`);
    return (text, pos) => {
      re.lastIndex = pos;
      return re.test(text);
    };
  }

  private add(state: State): number {
    if (this.states.length >= MAX_STATES) throw new RegexRefused(`the regex is too large (more than ${MAX_STATES} states once repeats are counted out)`);
    return this.states.push(state) - 1;
  }
}

/** Membership of one character: a table for ASCII, V8 for the rest. */
function charTest(js: string, flags: string): (code: number) => boolean {
  const re = new RegExp(`^(?:${js})$`, flags);
  const ascii = new Uint8Array(128);
  for (let c = 0; c < 128; c++) ascii[c] = re.test(String.fromCharCode(c)) ? 1 : 0;
  return (code) => (code < 128 ? ascii[code] === 1 : re.test(String.fromCodePoint(code)));
}

function simulator(states: State[], start: number): (text: string) => boolean {
  const marks = new Float64Array(states.length).fill(-1);
  let generation = 0;

  /** Follow empty moves from `from` at `pos`; char states land in `list`. True on reaching the match state. */
  const close = (from: number, text: string, pos: number, list: number[]): boolean => {
    const stack = [from];
    for (let s = stack.pop(); s !== undefined; s = stack.pop()) {
      if (marks[s] === generation) continue;
      marks[s] = generation;
      const state = states[s] as State;
      if (state.kind === 'match') return true;
      if (state.kind === 'char') list.push(s);
      else if (state.kind === 'split') stack.push(state.b, state.a);
      else if (state.test(text, pos)) stack.push(state.out);
    }
    return false;
  };

  return (text) => {
    generation++;
    let current: number[] = [];
    for (let pos = 0; ; ) {
      // Unanchored search: a new thread starts at every position.
      if (close(start, text, pos, current)) return true;
      if (pos >= text.length) return false;
      const code = text.codePointAt(pos) as number;
      const width = code > 0xffff ? 2 : 1;
      generation++;
      const next: number[] = [];
      for (const s of current) {
        const state = states[s] as Extract<State, { kind: 'char' }>;
        if (state.test(code) && close(state.out, text, pos + width, next)) return true;
      }
      current = next;
      pos += width;
    }
  };
}
