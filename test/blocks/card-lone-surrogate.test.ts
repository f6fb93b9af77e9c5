import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { LOCAL_CONFIG_FILE } from '../../src/config/resolve.js';
import { readInput } from '../../src/intake/reader.js';
import { createTriageContext, triageItem } from '../../src/pipeline/triage.js';

/**
 * sanitize() in blocks/escape.ts strips controls and bidi overrides but not
 * unpaired UTF-16 surrogates. JSON allows "\ud800", so a finding title or
 * description carrying one reaches the card verbatim; JSON.stringify then
 * sends Slack "\ud800", which is not valid Unicode, and strict JSON decoders
 * (PHP/Hack json_decode among them) refuse the whole payload.
 */
const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) strings(v, out);
  return out;
}

describe('cards never carry unpaired surrogates', () => {
  it('drops or replaces a lone surrogate from the title and description', async () => {
    const ctx = await createTriageContext(loadConfig(LOCAL_CONFIG_FILE));
    const body = '{"id":"s1","type":"Recon:EC2/PortProbeUnprotectedPort","severity":5,"title":"bad \\ud800 title","description":"bad \\udfff description"}';
    const [item] = readInput(body, 'surrogate.json');
    const result = triageItem(item!, ctx);
    expect(result.card).toBeDefined();
    expect(strings(result.card).filter((s) => LONE.test(s))).toEqual([]);
  });
});
