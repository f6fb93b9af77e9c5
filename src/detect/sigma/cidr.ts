/**
 * CIDR membership for the `cidr` modifier, IPv4 and IPv6. An IPv4-mapped IPv6
 * address (::ffff:a.b.c.d) is compared as the IPv4 address it carries.
 */

export interface Cidr {
  bytes: Uint8Array;
  bits: number;
}

export function parseCidr(text: string): Cidr | undefined {
  const [addr, len, extra] = text.trim().split('/');
  if (addr === undefined || extra !== undefined) return undefined;
  const bytes = addr.includes(':') ? parseIpv6(addr) : parseIpv4(addr);
  if (!bytes) return undefined;

  const max = bytes.length * 8;
  const bits = len === undefined ? max : /^(0|[1-9]\d{0,2})$/.test(len) ? Number(len) : NaN;
  if (!(bits <= max)) return undefined;
  // A mapped range is an IPv4 range, so it matches the IPv4 form of addresses too.
  if (isV4Mapped(bytes) && bits >= 96) return { bytes: bytes.slice(12), bits: bits - 96 };
  return { bytes, bits };
}

/** A compiled membership test; IPv4 ranges compare 32-bit numbers without allocating. */
export function cidrMatcher(cidr: Cidr): (ip: string) => boolean {
  if (cidr.bytes.length !== 4) return (ip) => inCidr(cidr, ip);
  const mask = cidr.bits === 0 ? 0 : (~0 << (32 - cidr.bits)) >>> 0;
  const network = (toUint32(cidr.bytes) & mask) >>> 0;
  return (ip) => {
    const value = ipv4Number(ip);
    if (value >= 0) return ((value & mask) >>> 0) === network;
    return ip.includes(':') && inCidr(cidr, ip);
  };
}

function toUint32(bytes: Uint8Array): number {
  return (((bytes[0] ?? 0) << 24) | ((bytes[1] ?? 0) << 16) | ((bytes[2] ?? 0) << 8) | (bytes[3] ?? 0)) >>> 0;
}

/** Every cidr rule reads the same address of one event: remember the last one parsed. */
let lastText = '';
let lastNumber = -1;

/** A dotted quad as a number, or -1 when the text is not one. */
function ipv4Number(text: string): number {
  if (text !== lastText) {
    lastNumber = parseIpv4Number(text);
    lastText = text;
  }
  return lastNumber;
}

function parseIpv4Number(text: string): number {
  let result = 0;
  let octets = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 46;
    if (code >= 48 && code <= 57) {
      // "010" is octal 8 to inet_aton and decimal 10 elsewhere: not an address here.
      if (digits === 1 && value === 0) return -1;
      value = value * 10 + (code - 48);
      if (++digits > 3 || value > 255) return -1;
    } else if (code === 46 && digits > 0 && octets < 4) {
      result = result * 256 + value;
      octets++;
      value = 0;
      digits = 0;
    } else {
      return -1;
    }
  }
  return octets === 4 ? result : -1;
}

export function inCidr(cidr: Cidr, ip: string): boolean {
  const bytes = parseIp(ip);
  if (!bytes || bytes.length !== cidr.bytes.length) return false;

  const whole = Math.floor(cidr.bits / 8);
  for (let i = 0; i < whole; i++) if (bytes[i] !== cidr.bytes[i]) return false;
  const rest = cidr.bits % 8;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((bytes[whole] ?? 0) & mask) === ((cidr.bytes[whole] ?? 0) & mask);
}

/** Parsed addresses of recent values: one event's IP is tested by every cidr rule. */
const parsed = new Map<string, Uint8Array | null>();
const PARSED_MAX = 512;

export function parseIp(text: string): Uint8Array | undefined {
  let out = parsed.get(text);
  if (out === undefined) {
    out = parseIpUncached(text) ?? null;
    if (parsed.size >= PARSED_MAX) parsed.clear();
    parsed.set(text, out);
  }
  return out ?? undefined;
}

function parseIpUncached(text: string): Uint8Array | undefined {
  if (text.includes(':')) {
    const v6 = parseIpv6(text);
    return v6 && isV4Mapped(v6) ? v6.slice(12) : v6;
  }
  return parseIpv4(text);
}

/** Dotted quad, one to three digits per octet and no leading zeros, by hand: this runs for every address tested. */
function parseIpv4(text: string): Uint8Array | undefined {
  const out = new Uint8Array(4);
  let octet = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 46;
    if (code >= 48 && code <= 57) {
      if (digits === 1 && value === 0) return undefined;
      value = value * 10 + (code - 48);
      if (++digits > 3 || value > 255) return undefined;
    } else if (code === 46 && digits > 0 && octet < 4) {
      out[octet++] = value;
      value = 0;
      digits = 0;
    } else {
      return undefined;
    }
  }
  return octet === 4 ? out : undefined;
}

function parseIpv6(input: string): Uint8Array | undefined {
  const text = input.replace(/%.*$/, '');
  const halves = text.split('::');
  if (halves.length > 2) return undefined;

  const head = groups(halves[0] ?? '');
  const tail = halves.length === 2 ? groups(halves[1] ?? '') : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;

  const all = [...head, ...new Array<number>(missing).fill(0), ...tail];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}

/** 16-bit groups of one side of `::`; a trailing dotted IPv4 counts as two groups. */
function groups(text: string): number[] | undefined {
  if (text === '') return [];
  const out: number[] = [];
  const parts = text.split(':');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    if (i === parts.length - 1 && part.includes('.')) {
      const v4 = parseIpv4(part);
      if (!v4) return undefined;
      out.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
    } else if (/^[0-9a-f]{1,4}$/i.test(part)) {
      out.push(parseInt(part, 16));
    } else {
      return undefined;
    }
  }
  return out;
}

function isV4Mapped(bytes: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false;
  return bytes[10] === 0xff && bytes[11] === 0xff;
}
