/**
 * Value transformations a modifier chain applies before matching: UTF-16
 * (`wide`, `utf16le`, `utf16be`, `utf16`), `base64`, `base64offset` and
 * `windash`. Each value may become several variants; a value matches when
 * any of its variants does.
 */

import { RuleSyntaxError, type PathSeg } from './errors.js';
import { hasWildcard, plainText, type Piece } from './strings.js';

export type Variant = { pieces: Piece[] } | { bytes: Buffer };

export const ENCODERS = new Set(['wide', 'utf16le', 'utf16be', 'utf16', 'base64', 'base64offset', 'windash']);

/** Dashes Windows tools accept in place of `-` and `/` to start an option. */
const DASHES = ['-', '/', '\u2013', '\u2014', '\u2015'];
const MAX_DASH_POSITIONS = 4;

export function applyEncoder(name: string, variants: Variant[], path: PathSeg[]): Variant[] {
  switch (name) {
    case 'wide':
    case 'utf16le':
      return variants.map((v) => ({ bytes: Buffer.from(textOf(v, name, path), 'utf16le') }));
    case 'utf16be':
      return variants.map((v) => ({ bytes: Buffer.from(textOf(v, name, path), 'utf16le').swap16() }));
    case 'utf16':
      return variants.map((v) => ({ bytes: withBom(textOf(v, name, path)) }));
    case 'base64':
      return variants.map((v) => ({ pieces: lit(bytesOf(v, name, path).toString('base64')) }));
    case 'base64offset':
      return variants.flatMap((v) => offsets(bytesOf(v, name, path)).map((t) => ({ pieces: lit(t) })));
    case 'windash':
      return variants.flatMap((v) => windash(v, path));
    default:
      throw new RuleSyntaxError(path, `unknown encoder ${name}`);
  }
}

/** The pieces a variant matches as: bytes left without base64 compare as latin1 text. */
export function piecesOf(variant: Variant): Piece[] {
  return 'bytes' in variant ? lit(variant.bytes.toString('latin1')) : variant.pieces;
}

function lit(text: string): Piece[] {
  return text ? [{ kind: 'lit', text }] : [];
}

function textOf(variant: Variant, name: string, path: PathSeg[]): string {
  if ('bytes' in variant) throw new RuleSyntaxError(path, `${name} needs text, but the value is already encoded`);
  if (hasWildcard(variant.pieces)) throw new RuleSyntaxError(path, `${name} cannot encode a value with wildcards`);
  return plainText(variant.pieces);
}

function bytesOf(variant: Variant, name: string, path: PathSeg[]): Buffer {
  if ('bytes' in variant) return variant.bytes;
  return Buffer.from(textOf(variant, name, path), 'utf8');
}

function withBom(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}

/**
 * The three encodings of `bytes` as it may sit inside a longer base64 text,
 * at byte offsets 0, 1 and 2. The characters that depend on neighbouring
 * bytes (the leading ones for offsets 1 and 2, the trailing partial group) are
 * cut off, so each variant is a substring of any encoding that contains it.
 */
function offsets(bytes: Buffer): string[] {
  const lead = [0, 2, 3];
  const trail = [0, 3, 2];
  return [0, 1, 2].map((shift) => {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    const cut = trail[(bytes.length + shift) % 3] ?? 0;
    return encoded.slice(lead[shift], encoded.length - cut);
  });
}

/** Every combination of dash characters where an option starts (value start or after whitespace). */
function windash(variant: Variant, path: PathSeg[]): Variant[] {
  if ('bytes' in variant) throw new RuleSyntaxError(path, 'windash needs text, but the value is already encoded');
  let results: Piece[][] = [[]];
  let previous = '';
  let positions = 0;

  for (const piece of variant.pieces) {
    if (piece.kind !== 'lit') {
      results = results.map((r) => [...r, piece]);
      previous = 'x';
      continue;
    }
    let chunks: string[] = [''];
    for (const c of piece.text) {
      const optionStart = (c === '-' || c === '/') && (previous === '' || /\s/.test(previous));
      if (optionStart && ++positions > MAX_DASH_POSITIONS) {
        throw new RuleSyntaxError(path, `windash on more than ${MAX_DASH_POSITIONS} options is not supported`);
      }
      chunks = optionStart ? chunks.flatMap((t) => DASHES.map((d) => t + d)) : chunks.map((t) => t + c);
      previous = c;
    }
    results = results.flatMap((r) => chunks.map((t) => [...r, { kind: 'lit' as const, text: t }]));
  }
  return results.map((pieces) => ({ pieces }));
}
