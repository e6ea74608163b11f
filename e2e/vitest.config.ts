import { configDefaults, defineConfig, mergeConfig } from 'vitest/config';
import shared from '../vitest.shared.ts';

// The chaos suite stops and restarts the machine's broker and database: only `npm run test:chaos` runs it.
export default mergeConfig(shared, defineConfig({ test: { exclude: [...configDefaults.exclude, 'src/chaos/**'] } }));
