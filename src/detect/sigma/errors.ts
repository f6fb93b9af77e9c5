import { PicketError } from '../../core/errors.js';

/** A step in the YAML document: a map key or a list index. */
export type PathSeg = string | number;

/**
 * A rule is written wrongly or asks for something the engine does not do.
 * Carries the YAML path so the loader can name the spot and its line.
 */
export class RuleSyntaxError extends PicketError {
  readonly path: PathSeg[];

  constructor(path: PathSeg[], message: string) {
    super('RULE_SYNTAX', message);
    this.path = path;
  }
}

export function formatPath(path: PathSeg[]): string {
  return path.map((seg, i) => (typeof seg === 'number' ? `[${seg}]` : i === 0 ? seg : `.${seg}`)).join('');
}
