/**
 * The evidence section of a card: what enrichment found, each line naming
 * its provider. Verdicts that matter (known-bad IP, Tor, new ASN, admin
 * policy) come first and stand out; the rest follow grouped by provider.
 * Every value is untrusted (intel labels, user agents, tag values), so all
 * of it is cut and escaped here.
 */
import type { KnownBlock } from '@slack/types';
import type { Evidence } from '../../src/enrich/types.js';
import { escapeText } from '../escape.js';
import { mrkdwn } from '../kit.js';

const SECTION_MAX = 3000;
const MAX_SECTIONS = 3;
const FIELD_MAX = 80;
const VALUE_MAX = 300;

const MARK: Record<NonNullable<Evidence['verdict']>, string> = { bad: '🔴', suspicious: '🟠', info: '' };

/** Cut the raw text first, then escape, so an entity is never split. */
function clip(raw: string, max: number): string {
  const flat = raw.replace(/\s+/g, ' ').trim();
  return escapeText(flat.length > max ? `${flat.slice(0, max - 1)}…` : flat);
}

export function evidenceLine(e: Evidence): string {
  const mark = e.verdict ? MARK[e.verdict] : '';
  const body = `*${clip(e.field, FIELD_MAX)}*: ${clip(e.value, VALUE_MAX)}  _${clip(e.provider, 40)}_`;
  return mark ? `${mark} ${body}` : `• ${body}`;
}

function notable(e: Evidence): boolean {
  return e.verdict === 'bad' || e.verdict === 'suspicious';
}

/** Bad before suspicious, then provider order as given. */
function ordered(evidence: Evidence[]): Evidence[] {
  const rank = (e: Evidence) => (e.verdict === 'bad' ? 0 : e.verdict === 'suspicious' ? 1 : 2);
  const providers = [...new Set(evidence.map((e) => e.provider))];
  return [...evidence].sort((a, b) => rank(a) - rank(b) || providers.indexOf(a.provider) - providers.indexOf(b.provider));
}

/** Lines packed into sections under Slack's text limit; what does not fit is counted. */
function pack(lines: string[]): string[] {
  const sections: string[] = [];
  let current = '*Evidence*';
  let used = 0;
  for (const line of lines) {
    if (current.length + line.length + 1 > SECTION_MAX - 40) {
      if (sections.length + 1 >= MAX_SECTIONS) break;
      sections.push(current);
      current = '';
    }
    current = current ? `${current}\n${line}` : line;
    used += 1;
  }
  const left = lines.length - used;
  sections.push(left > 0 ? `${current}\n_+${left.toLocaleString('en-US')} more in the thread_` : current);
  return sections;
}

export function evidenceBlocks(evidence: Evidence[]): KnownBlock[] {
  if (evidence.length === 0) return [];
  const lines = ordered(evidence).map(evidenceLine);
  const count = evidence.filter(notable).length;
  const blocks: KnownBlock[] = pack(lines).map((text) => ({ type: 'section', text: mrkdwn(text) }));
  if (count > 0) blocks.push({ type: 'context', elements: [mrkdwn(`${count} notable finding${count === 1 ? '' : 's'} from enrichment`)] });
  return blocks;
}
