import { baseConfigSchema, parseConfig, type BaseConfig } from '@warren/service';

export type InventoryConfig = BaseConfig;

/** Reads and validates the inventory's environment once (see .env.example). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): InventoryConfig {
  return parseConfig(baseConfigSchema('inventory', 3002), env);
}
