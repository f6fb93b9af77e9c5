/**
 * What a card button carries back to its handler: which finding and which rule.
 * Slack caps a button value at 2,000 characters and finding ids are untrusted,
 * so oversized ids are cut and flagged rather than allowed to break the card.
 */
import { z } from 'zod';

export interface ButtonValue {
  findingId: string;
  ruleId?: string;
  /** Set when an id was cut to fit; the handler must look the finding up another way. */
  truncated?: true;
}

const ButtonValueSchema = z.object({
  findingId: z.string(),
  ruleId: z.string().optional(),
  truncated: z.literal(true).optional(),
});

const VALUE_MAX = 2000;

/** Serialise to JSON within Slack's value limit; ids that do not fit are shortened. */
export function encodeButtonValue(findingId: string, ruleId?: string): string {
  let idMax = 900;
  for (;;) {
    const cut = findingId.length > idMax || (ruleId?.length ?? 0) > idMax;
    const value: ButtonValue = { findingId: findingId.slice(0, idMax) };
    if (ruleId !== undefined && ruleId !== '') value.ruleId = ruleId.slice(0, idMax);
    if (cut) value.truncated = true;

    const json = JSON.stringify(value);
    if (json.length <= VALUE_MAX) return json;
    // JSON escapes (\u0000, \") can make a character six long; halve until it fits.
    idMax = Math.floor(idMax / 2);
  }
}

/** Parse a value a handler received; undefined for anything we did not write. */
export function parseButtonValue(value: string): ButtonValue | undefined {
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return undefined;
  }
  const parsed = ButtonValueSchema.safeParse(json);
  if (!parsed.success) return undefined;

  const out: ButtonValue = { findingId: parsed.data.findingId };
  if (parsed.data.ruleId !== undefined) out.ruleId = parsed.data.ruleId;
  if (parsed.data.truncated) out.truncated = true;
  return out;
}
