/** IP text to numbers, for range tables and CIDR tests; undefined for anything not an address. */
import { isIPv4, isIPv6 } from 'node:net';

export function ipv4ToNumber(ip: string): number | undefined {
  if (!isIPv4(ip)) return undefined;
  return ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

export function ipv6ToBigInt(ip: string): bigint | undefined {
  if (!isIPv6(ip)) return undefined;
  let text = ip.split('%')[0] ?? ip;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4?.[1]) {
    const n = ipv4ToNumber(v4[1]);
    if (n === undefined) return undefined;
    text = text.slice(0, -v4[1].length) + `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - left.length - right.length;
  const groups = tail === undefined ? left : [...left, ...Array<string>(missing).fill('0'), ...right];
  return groups.reduce((acc, g) => (acc << 16n) + BigInt(parseInt(g, 16)), 0n);
}

/** `::ffff:1.2.3.4` is an IPv4 address in disguise; look it up as one. */
export function unmapIPv4(ip: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return m?.[1] ?? ip;
}

export interface Cidr {
  version: 4 | 6;
  base: bigint;
  bits: number;
}

export function parseCidr(text: string): Cidr | undefined {
  const [addr = '', bitsText] = text.trim().split('/');
  const ip = unmapIPv4(addr);
  const v4 = ipv4ToNumber(ip);
  const version = v4 !== undefined ? 4 : 6;
  const value = v4 !== undefined ? BigInt(v4) : ipv6ToBigInt(ip);
  const width = version === 4 ? 32 : 128;
  const bits = bitsText === undefined ? width : Number(bitsText);
  if (value === undefined || !Number.isInteger(bits) || bits < 0 || bits > width) return undefined;
  const shift = BigInt(width - bits);
  return { version, base: (value >> shift) << shift, bits };
}

export function cidrContains(cidr: Cidr, ip: string): boolean {
  const plain = unmapIPv4(ip);
  const v4 = ipv4ToNumber(plain);
  const value = v4 !== undefined ? BigInt(v4) : ipv6ToBigInt(plain);
  const version = v4 !== undefined ? 4 : 6;
  if (value === undefined || version !== cidr.version) return false;
  const shift = BigInt((version === 4 ? 32 : 128) - cidr.bits);
  return (value >> shift) << shift === cidr.base;
}
