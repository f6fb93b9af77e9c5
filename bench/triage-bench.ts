/**
 * Whole-item triage throughput (reader → normalize → detect → card) against
 * JSON.parse of the same bytes, on the bundled examples.
 *
 *   npx tsx bench/triage-bench.ts [--copies 400] [--rounds 5]
 *
 * Each example file's bytes are read once; a round parses every copy with
 * JSON.parse (the baseline), then runs readInput + triageItem over the same
 * copies. The ratio is triage time over parse time: how many JSON.parses one
 * triaged item costs, measured in the same run.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../src/config/load.js';
import { LOCAL_CONFIG_FILE } from '../src/config/resolve.js';
import { readInput } from '../src/intake/reader.js';
import { createTriageContext, triageItem } from '../src/pipeline/triage.js';

const EXAMPLES = 'examples';

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

interface Input {
  bytes: Buffer;
  /** JSON lines are parsed line by line in the baseline, as the reader does. */
  lines: boolean;
}

function inputs(): Input[] {
  return readdirSync(EXAMPLES)
    .filter((name) => name.endsWith('.json') || name.endsWith('.jsonl'))
    .map((name) => ({ bytes: readFileSync(join(EXAMPLES, name)), lines: name.endsWith('.jsonl') }));
}

function parse(input: Input): void {
  const text = input.bytes.toString('utf8');
  if (!input.lines) JSON.parse(text);
  else for (const line of text.split('\n')) if (line.trim() !== '') JSON.parse(line);
}

function time(work: () => void): number {
  const start = process.hrtime.bigint();
  work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function main(): Promise<void> {
  const copies = arg('copies', 400);
  const rounds = arg('rounds', 5);
  const ctx = await createTriageContext(loadConfig(LOCAL_CONFIG_FILE));
  const files = inputs();
  const bytes = files.reduce((n, f) => n + f.bytes.length, 0) * copies;
  let items = 0;
  let parseBest = Number.POSITIVE_INFINITY;
  let triageBest = Number.POSITIVE_INFINITY;

  for (let round = 0; round < rounds; round++) {
    parseBest = Math.min(parseBest, time(() => {
      for (let c = 0; c < copies; c++) for (const file of files) parse(file);
    }));
    items = 0;
    triageBest = Math.min(triageBest, time(() => {
      for (let c = 0; c < copies; c++) {
        for (const file of files) for (const item of readInput(file.bytes, 'bench')) {
          triageItem(item, ctx);
          items += 1;
        }
      }
    }));
  }

  const perSecond = (ms: number, n: number) => Math.round((n / ms) * 1000).toLocaleString('en-US');
  process.stdout.write(`${files.length} example files × ${copies} copies = ${items} items, ${(bytes / 1e6).toFixed(1)} MB, best of ${rounds}\n`);
  process.stdout.write(`JSON.parse (baseline)   ${parseBest.toFixed(0).padStart(6)} ms\n`);
  process.stdout.write(`readInput + triageItem  ${triageBest.toFixed(0).padStart(6)} ms   ${perSecond(triageBest, items)} items/s   ${(triageBest / parseBest).toFixed(1)}× the parse time\n`);
}

await main();
