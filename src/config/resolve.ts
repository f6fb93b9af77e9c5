import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfig } from './load.js';
import type { PicketConfig } from './schema.js';

/** The bundled local-mode configuration, used when no picket.yml is present. */
export const LOCAL_CONFIG_FILE = fileURLToPath(new URL('../../examples/picket.local.yml', import.meta.url));

/**
 * `--config FILE`, then `PICKET_CONFIG`, then ./picket.yml, then the bundled
 * local configuration. Returns the config and the file it came from.
 */
export function resolveConfig(explicit?: string): { config: PicketConfig; file: string } {
  const file = explicit ?? process.env.PICKET_CONFIG ?? (existsSync('picket.yml') ? 'picket.yml' : LOCAL_CONFIG_FILE);
  return { config: loadConfig(file), file };
}
