/**
 * Remote parties. Port-probe and brute-force findings can list hundreds of
 * remotes; the card shows the first few and says how many it left out.
 */
import type { Remote } from '../../src/model/signal.js';
import { code, present } from '../escape.js';
import { finiteNumber } from '../values.js';

const SHOWN = 5;

function portText(remote: Remote): string | undefined {
  const port = finiteNumber(remote.port);
  const proto = code(remote.protocol, 20);
  if (port === undefined) return proto;
  const portPart = `port \`${Math.trunc(port)}\``;
  return proto === undefined ? portPart : `${portPart} ${proto}`;
}

function placeText(remote: Remote): string | undefined {
  const parts = [code(remote.country, 60), code(remote.city, 60)].filter((p): p is string => p !== undefined);
  return parts.length === 0 ? undefined : parts.join(' ');
}

function ownerText(remote: Remote): string | undefined {
  const asn = present(remote.asn);
  const parts = [
    asn === undefined ? undefined : code(/^\d+$/.test(asn) ? `AS${asn}` : asn, 40),
    code(remote.asnOrg, 80) ?? code(remote.isp, 80),
  ].filter((p): p is string => p !== undefined);
  return parts.length === 0 ? undefined : parts.join(' ');
}

/** One remote on one line; undefined when it names neither an address nor a domain. */
export function remoteLine(remote: Remote): string | undefined {
  if (typeof remote !== 'object' || remote === null) return undefined;
  const who = code(remote.ip, 60) ?? code(remote.domain, 120);
  if (who === undefined) return undefined;
  const extras = [portText(remote), placeText(remote), ownerText(remote)].filter((p) => p !== undefined);
  return [who, ...extras].join(' · ');
}

function userAgentLine(remotes: Remote[]): string | undefined {
  const withAgent = remotes.find((r) => typeof r === 'object' && r !== null && present(r.userAgent));
  const agent = code(withAgent?.userAgent, 300);
  return agent === undefined ? undefined : `*User agent*  ${agent}`;
}

/** The remotes section text, or undefined when there are none worth showing. */
export function remotesText(remotes: unknown): string | undefined {
  if (!Array.isArray(remotes)) return undefined;
  const list = remotes as Remote[];
  const lines = list.map(remoteLine).filter((l): l is string => l !== undefined);
  const agent = userAgentLine(list);
  if (lines.length === 0 && agent === undefined) return undefined;

  const shown = lines.slice(0, SHOWN).map((l) => `• ${l}`);
  if (lines.length > SHOWN) shown.push(`+${(lines.length - SHOWN).toLocaleString('en-US')} more`);
  const title = lines.length > 1 ? `*Remotes (${lines.length.toLocaleString('en-US')})*` : '*Remote*';
  return [title, ...shown, agent].filter((l) => l !== undefined).join('\n');
}

/** The first remote as a short raw string (for the DUET question), or undefined. */
export function firstRemote(remotes: unknown): string | undefined {
  if (!Array.isArray(remotes)) return undefined;
  for (const r of remotes as Remote[]) {
    if (typeof r !== 'object' || r === null) continue;
    const who = present(r.ip) ?? present(r.domain);
    if (who !== undefined) return who;
  }
  return undefined;
}
