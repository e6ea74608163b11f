import { fileURLToPath } from 'node:url';
import { runMain, startService } from '@warren/service';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { inventoryConsumers } from './consumers.ts';

await runMain(async () => {
  const config = loadConfig();
  return startService({
    name: 'inventory',
    config,
    produces: true,
    migrationsFolder: fileURLToPath(new URL('./db/migrations', import.meta.url)),
    createApp: (deps) => createApp({ ...deps, version: config.SERVICE_VERSION }),
    consumers: (deps) => inventoryConsumers(deps),
  });
});
