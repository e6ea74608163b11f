export { createLogger, redactedPaths } from './logger.ts';
export type { Logger, LoggerSettings } from './logger.ts';
