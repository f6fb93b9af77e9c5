/**
 * One offline answer per address: a special-range label, or country, city
 * and ASN from the bundled databases. Nothing is fetched at run time.
 */
import { isIP } from 'node:net';
import { AsnTable } from './asn.js';
import { CityDb } from './city.js';
import { unmapIPv4 } from './ip.js';
import { specialKind, type SpecialKind } from './special.js';

export interface GeoInfo {
  ip: string;
  special?: SpecialKind;
  country?: string;
  region?: string;
  city?: string;
  asn?: number;
  asnOrg?: string;
}

export interface GeoLookup {
  lookup(address: string): GeoInfo | undefined;
}

export class OfflineGeo implements GeoLookup {
  constructor(
    private readonly asn = new AsnTable(),
    private readonly city = new CityDb(),
  ) {}

  lookup(address: string): GeoInfo | undefined {
    const special = specialKind(address);
    if (special) return { ip: address, special };
    const ip = unmapIPv4(address.trim());
    if (isIP(ip) === 0) return undefined;

    const place = this.city.lookup(ip);
    const owner = this.asn.lookup(ip);
    return { ip, ...place, ...(owner ? { asn: owner.asn, asnOrg: owner.org } : {}) };
  }

  preload(): { v4Rows: number; v6Rows: number } {
    this.city.preload();
    return this.asn.preload();
  }
}

/** `US · Ashburn · AS14618 Amazon.com, Inc.` or `private address`. */
export function geoText(info: GeoInfo): string {
  if (info.special) return `${info.special} address`;
  const asn = info.asn !== undefined ? `AS${info.asn}${info.asnOrg ? ` ${info.asnOrg}` : ''}` : undefined;
  return [info.country, info.city, asn].filter((p) => p).join(' · ') || 'unknown';
}
