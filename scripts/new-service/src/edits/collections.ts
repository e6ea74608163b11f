import type { FilePlan } from '../plan.ts';
import type { ServiceSpec } from '../spec.ts';

export async function planCollections(_plan: FilePlan, _spec: ServiceSpec): Promise<void> {}
