import type { FilePlan } from '../plan.ts';
import type { ServiceSpec } from '../spec.ts';

export async function planInfra(_plan: FilePlan, _spec: ServiceSpec): Promise<void> {}
