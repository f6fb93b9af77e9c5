/** Turn a path inside a rule's YAML into a line number, for error messages. */

import { isMap, isSeq, type Document, type LineCounter } from 'yaml';
import { formatPath, type PathSeg } from './errors.js';

export function lineOf(doc: Document, path: PathSeg[], lines: LineCounter): number | undefined {
  let node: unknown = doc.contents;
  let offset = isMap(node) || isSeq(node) ? node.range?.[0] : undefined;

  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => keyText(p.key) === String(seg));
      if (!pair) break;
      offset = rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number' && node.items[seg] !== undefined) {
      node = node.items[seg];
      offset = rangeStart(node) ?? offset;
    } else {
      break;
    }
  }
  return offset === undefined ? undefined : lines.linePos(offset).line;
}

/** `detection.selection.eventName|foo (line 12)`; `(root)` for the document itself. */
export function describeSpot(doc: Document, path: PathSeg[], lines: LineCounter): string {
  const line = lineOf(doc, path, lines);
  const spot = path.length > 0 ? formatPath(path) : '(root)';
  return line === undefined ? spot : `${spot} (line ${line})`;
}

function keyText(key: unknown): string | undefined {
  if (key !== null && typeof key === 'object' && 'value' in key) return String(key.value);
  return typeof key === 'string' ? key : undefined;
}

function rangeStart(node: unknown): number | undefined {
  if (node === null || typeof node !== 'object' || !('range' in node)) return undefined;
  const range = node.range;
  return Array.isArray(range) && typeof range[0] === 'number' ? range[0] : undefined;
}
