export { baseConfigSchema, ConfigError, parseConfig, settingNames } from './config.ts';
export { completeEnvironment, loadServiceEnvironment, loadToolEnvironment, servicePrefix } from './environment.ts';
export type { BaseConfig } from './config.ts';
export { databaseTarget, onDatabase } from './database-url.ts';
export { applyMigrations, assertMigrated, expectedMigrations, provisionDatabase, serviceMigrations } from './provision.ts';
export type { ExpectedMigrations, MigrationSet } from './provision.ts';
export { edgeOptions, startService } from './start-service.ts';
export type { RunningService, ServiceDeps, ServiceSpec } from './start-service.ts';
export { runMain } from './run-main.ts';
