import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Card, CardSink, MessageRef } from './delivery.js';

/**
 * Local mode (no SLACK_BOT_TOKEN): cards go to the terminal as text and to
 * `out/<cardKey>.json` as Block Kit JSON with a Block Kit Builder link. An
 * update rewrites the same file, so out/ holds one file per card.
 */

export interface LocalSinkOptions {
  outDir: string;
  write: (line: string) => void;
  renderText: (card: Card) => string;
  builderUrl: (card: Card) => string;
}

const LocalCardFileSchema = z.object({
  cardKey: z.string(),
  channel: z.string(),
  ts: z.string(),
  blockKitBuilder: z.string(),
  text: z.string(),
  blocks: z.array(z.unknown()),
  notes: z.array(z.string()),
});

type LocalCardFile = z.infer<typeof LocalCardFileSchema>;

export function createLocalSink(options: LocalSinkOptions): CardSink {
  let seq = 0;
  return {
    post: async (cardKey, channel, card) => {
      seq += 1;
      const ref = { channel, ts: `local.${Date.now()}.${seq}` };
      const path = await save(options, fileFor(options, cardKey, ref, card, []));
      show(options, `new card for ${channel}`, card, path);
      return ref;
    },
    update: async (cardKey, ref, card) => {
      const notes = (await load(options, cardKey))?.notes ?? [];
      const path = await save(options, fileFor(options, cardKey, ref, card, notes));
      show(options, `card updated in ${ref.channel}`, card, path);
    },
    note: async (cardKey, ref, text) => {
      const file = await load(options, cardKey);
      if (file) await save(options, { ...file, notes: [...file.notes, text] });
      options.write(`  ↳ thread note in ${ref.channel}: ${text}`);
    },
  };
}

/** A readable, collision-free file name for any cardKey. */
export function cardFileName(cardKey: string): string {
  const readable = cardKey.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
  const hash = createHash('sha256').update(cardKey).digest('hex').slice(0, 10);
  return `${readable}-${hash}.json`;
}

function fileFor(options: LocalSinkOptions, cardKey: string, ref: MessageRef, card: Card, notes: string[]): LocalCardFile {
  return { cardKey, ...ref, blockKitBuilder: options.builderUrl(card), text: card.text, blocks: card.blocks, notes };
}

/** The Builder link is kilobytes long: it lives in the JSON file, the terminal names the file. */
function show(options: LocalSinkOptions, heading: string, card: Card, path: string): void {
  options.write(`── ${heading} ──`);
  for (const line of options.renderText(card).split('\n')) options.write(line);
  options.write(`Block Kit JSON and Builder link: ${path}`);
  options.write('');
}

async function save(options: LocalSinkOptions, file: LocalCardFile): Promise<string> {
  await mkdir(options.outDir, { recursive: true });
  const path = join(options.outDir, cardFileName(file.cardKey));
  await writeFile(`${path}.tmp`, JSON.stringify(file, null, 2) + '\n');
  await rename(`${path}.tmp`, path);
  return path;
}

async function load(options: LocalSinkOptions, cardKey: string): Promise<LocalCardFile | undefined> {
  const text = await readFile(join(options.outDir, cardFileName(cardKey)), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const parsed = LocalCardFileSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
