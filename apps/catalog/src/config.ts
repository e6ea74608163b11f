import { baseConfigSchema, parseConfig, type BaseConfig } from '@warren/service';

export type CatalogConfig = BaseConfig;

/** Reads and validates the catalog's environment once (see .env.example). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): CatalogConfig {
  return parseConfig(baseConfigSchema('catalog', 3001), env);
}
