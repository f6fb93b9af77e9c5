/**
 * The no-network enrichment deps with their default sources: intel files
 * from `PICKET_INTEL_PATHS` (colon-separated files or folders) or the bundled
 * `intel/` folder, and the offline geo/ASN databases. Loaded once per process
 * on first use; geo tables load lazily on the first lookup.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OfflineGeo, type GeoLookup } from '../geo/lookup.js';
import { IntelStore } from '../intel/store.js';

export interface OfflineDeps {
  intel: IntelStore;
  geo: GeoLookup;
}

let shared: OfflineDeps | undefined;

export function bundledIntelDir(): string {
  return fileURLToPath(new URL('../../intel/', import.meta.url));
}

export function intelPaths(env: NodeJS.ProcessEnv = process.env): string[] {
  const configured = (env.PICKET_INTEL_PATHS ?? '').split(':').filter((p) => p !== '');
  if (configured.length > 0) return configured;
  const bundled = bundledIntelDir();
  return existsSync(bundled) ? [bundled] : [];
}

/** Throws ConfigError naming the file and entry when an intel file is invalid. */
export function loadOfflineDeps(env: NodeJS.ProcessEnv = process.env): OfflineDeps {
  const intel = new IntelStore(intelPaths(env));
  intel.load();
  return { intel, geo: new OfflineGeo() };
}

export function defaultOfflineDeps(): OfflineDeps {
  shared ??= loadOfflineDeps();
  return shared;
}
