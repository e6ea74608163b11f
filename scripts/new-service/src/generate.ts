import { existsSync } from 'node:fs';
import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { planDerivedFiles } from './derived.ts';
import { planContracts } from './edits/contracts.ts';
import { planInfra } from './edits/infra.ts';
import { planCollections } from './edits/collections.ts';
import { planPortCatalog } from './edits/docs.ts';
import { planWorkspace } from './edits/workspace.ts';
import { eventTypeProblem, serviceNameProblem } from './names.ts';
import type { NewServiceOptions } from './options.ts';
import { FilePlan } from './plan.ts';
import { RefusalError, nameTakenProblem, nextPort, openRepository, resolveConsumed, servicePorts } from './repository.ts';
import { serviceSpec, type ServiceSpec } from './spec.ts';
import { appSourceFiles } from './templates/app-source.ts';
import { appTestFiles } from './templates/app-tests.ts';

/** What a run generated (or, with `dryRun`, would generate). */
export interface GenerateResult {
  spec: ServiceSpec;
  created: string[];
  changed: string[];
}

/**
 * Generates the service `options.name` into the repository at `root`: checks the request, plans
 * every file (sources, contracts, infra, collections, derived documents and migrations) in memory,
 * then writes them all, or none. Throws `RefusalError` for a name or event it will not take.
 */
export async function generateService(root: string, options: NewServiceOptions): Promise<GenerateResult> {
  const problem = serviceNameProblem(options.name);
  if (problem) throw new RefusalError(problem);
  const publishes = options.publishes ?? `${options.name}.recorded`;
  const typeProblem = eventTypeProblem(publishes);
  if (typeProblem) throw new RefusalError(typeProblem);
  const repository = await openRepository(root);
  const taken = await nameTakenProblem(repository, options.name);
  if (taken) throw new RefusalError(taken);
  if (repository.contracts.eventDefinitions.some((definition) => definition.type === publishes)) {
    throw new RefusalError(`cannot publish ${publishes}: @warren/contracts defines it already (choose another with --publishes)`);
  }
  const consumes = await resolveConsumed(repository, options.name, options.consumes.length > 0 ? options.consumes : ['item.created']);
  const spec = serviceSpec({ name: options.name, port: nextPort(await servicePorts(root)), publishes, consumes });

  const plan = new FilePlan(root);
  for (const [path, content] of Object.entries({ ...appSourceFiles(spec), ...appTestFiles(spec) })) await plan.create(path, content);
  await planContracts(plan, spec);
  await planWorkspace(plan, spec);
  await planInfra(plan, spec);
  await planCollections(plan, spec);
  await planPortCatalog(plan, spec);
  await planDerivedFiles(plan, spec.name);

  const entries = plan.entries().map(([path]) => path);
  const result = { spec, created: entries.filter((path) => plan.isNew(path)), changed: entries.filter((path) => !plan.isNew(path)) };
  if (options.dryRun) return result;
  await plan.apply();
  await linkWorkspace(root, spec.name);
  return result;
}

/** What `npm install` would do for the new workspace: link node_modules/@warren/<name> to it. */
async function linkWorkspace(root: string, name: string): Promise<void> {
  const scope = join(root, 'node_modules/@warren');
  if (!existsSync(join(root, 'node_modules')) || existsSync(join(scope, name))) return;
  await mkdir(scope, { recursive: true });
  await symlink(`../../apps/${name}`, join(scope, name));
}
