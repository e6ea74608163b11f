import { inject } from 'vitest';
import type { TestInfrastructure } from './infrastructure.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    warrenInfrastructure: TestInfrastructure;
  }
}

/** The run's infrastructure, as provided by the global setup. */
export function infrastructure(): TestInfrastructure {
  const provided = inject('warrenInfrastructure');
  if (!provided) {
    throw new Error('no test infrastructure: add @warren/testing/global-setup to the vitest globalSetup');
  }
  return provided;
}
