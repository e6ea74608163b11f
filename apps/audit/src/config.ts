import { baseConfigSchema, parseConfig, type BaseConfig } from '@warren/service';

export type AuditConfig = BaseConfig;

/** Reads and validates the audit service's environment once (see .env.example). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AuditConfig {
  return parseConfig(baseConfigSchema('audit', 3003), env);
}
