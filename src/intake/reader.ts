import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { errorMessage } from '../core/errors.js';
import type { ReadItem } from '../model/item.js';
import { classify, MAX_ITEMS, reject, type ClassifyState } from './classify.js';

/**
 * One reader for every input: a file, a stream's bytes or an HTTP body. It
 * accepts a single JSON document (object or array) or JSON lines, gzipped or
 * not, and returns every item it found with its fate.
 */

const GZIP_MAGIC = [0x1f, 0x8b];
/**
 * A gzip bomb must not take the worker down: inflate at most this much. A
 * CloudTrail log file or S3 export object is a few MB; parsing the inflated
 * text costs several times its size again in memory.
 */
export const MAX_INFLATED_BYTES = 64 * 1024 * 1024;

export interface ReadOptions {
  /** Overrides MAX_INFLATED_BYTES. */
  maxInflatedBytes?: number;
}

export function readInput(data: Buffer | string, file: string, options: ReadOptions = {}): ReadItem[] {
  const state: ClassifyState = { file, next: 0, items: [] };
  const limit = options.maxInflatedBytes ?? MAX_INFLATED_BYTES;
  let text: string;
  try {
    text = decode(data, limit);
  } catch (err) {
    reject(state, 'unknown', decompressFailure(err, limit), undefined);
    return state.items;
  }

  const trimmed = text.trim();
  if (trimmed === '') return state.items;

  const whole = tryParse(trimmed);
  if (whole.ok) classify(whole.value, state, 'unknown');
  else if (!looksLikeJsonLines(trimmed)) reject(state, 'unknown', `not JSON: ${whole.error}`, clip(trimmed));
  else readJsonLines(text, state);
  return withOverflow(state, trimmed);
}

/** Past MAX_ITEMS the rest of the input is one rejection that keeps the whole input for replay. */
function withOverflow(state: ClassifyState, text: string): ReadItem[] {
  if (!state.overflow) return state.items;
  const reason = `input holds more than ${MAX_ITEMS} items; ${state.overflow} more were not read one by one`;
  state.items.push({ status: 'rejected', origin: { file: state.file, index: state.next++, wrapper: 'unknown' }, reason, doc: clip(text) });
  return state.items;
}

function decode(data: Buffer | string, limit: number): string {
  if (typeof data === 'string') return stripBom(data);
  const gz = data.length >= 2 && data[0] === GZIP_MAGIC[0] && data[1] === GZIP_MAGIC[1];
  const bytes = gz ? gunzipSync(data, { maxOutputLength: limit }) : data;
  return stripBom(bytes.toString('utf8'));
}

function decompressFailure(err: unknown, limit: number): string {
  const code = err instanceof Error && 'code' in err ? err.code : undefined;
  if (code === 'ERR_BUFFER_TOO_LARGE') return `gzip input inflates beyond the ${limit}-byte limit`;
  return `cannot decompress input: ${errorMessage(err)}`;
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

type Parsed = { ok: true; value: unknown } | { ok: false; error: string };

function tryParse(text: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, error: errorMessage(err) };
  }
}

/**
 * JSON lines: the first line is a complete JSON value on its own, or (when
 * the first line is the broken one) at least half the lines are objects.
 * A pretty-printed document that fails to parse has almost no such lines.
 */
function looksLikeJsonLines(text: string): boolean {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  if (lines.length < 2) return false;
  if (tryParse(lines[0] ?? '').ok) return true;
  const objects = lines.filter((line) => {
    const parsed = tryParse(line);
    return parsed.ok && typeof parsed.value === 'object' && parsed.value !== null;
  });
  return objects.length * 2 >= lines.length;
}

/** Line numbers count from the first line of the input as given, blank lines included. */
function readJsonLines(text: string, state: ClassifyState): void {
  const lines = text.split('\n');
  lines.forEach((line, number) => {
    if (line.trim() === '') return;
    const parsed = tryParse(line);
    if (parsed.ok) classify(parsed.value, state, 's3-export');
    else reject(state, 's3-export', `line ${number + 1} is not JSON: ${parsed.error}`, clip(line));
  });
}

/** Rejected raw text is kept, but not without bound. */
function clip(text: string): string {
  const max = 256 * 1024;
  return text.length <= max ? text : `${text.slice(0, max)}…[truncated ${text.length - max} chars]`;
}

export interface ReadResult {
  file: string;
  items: ReadItem[];
}

/** Files and folders (recursive, sorted); an unreadable file yields one rejected item. */
export async function readPaths(paths: string[]): Promise<ReadResult[]> {
  const results: ReadResult[] = [];
  for (const path of paths) {
    for (const file of await listFiles(path)) results.push(await readOne(file));
  }
  return results;
}

async function readOne(file: string): Promise<ReadResult> {
  try {
    return { file, items: readInput(await readFile(file), file) };
  } catch (err) {
    const state: ClassifyState = { file, next: 0, items: [] };
    reject(state, 'unknown', `cannot read file: ${errorMessage(err)}`, undefined);
    return { file, items: state.items };
  }
}

const INPUT_FILE = /\.(json|jsonl|ndjson|json\.gz|jsonl\.gz|gz)$/i;

async function listFiles(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return [path];
  if (!info.isDirectory()) return [path];

  const entries = await readdir(path, { withFileTypes: true });
  const names = entries.map((e) => e.name).sort();
  const files: string[] = [];
  for (const name of names) {
    const full = join(path, name);
    const entry = entries.find((e) => e.name === name);
    if (entry?.isDirectory()) files.push(...(await listFiles(full)));
    else if (INPUT_FILE.test(name)) files.push(full);
  }
  return files;
}
