import type { FilePlan } from '../plan.ts';
import type { ServiceSpec } from '../spec.ts';
import { appPackageJson } from '../templates/app-source.ts';
import { EditError } from '../text-edit.ts';

/**
 * Records the new workspace in package-lock.json as `npm install` would (its manifest and the
 * link under node_modules/@warren), so `npm ci` keeps working without a network round trip:
 * every dependency it has is one the other apps already lock.
 */
export async function planWorkspace(plan: FilePlan, spec: ServiceSpec): Promise<void> {
  await plan.edit('package-lock.json', (text) => {
    const lock = JSON.parse(text) as { packages?: Record<string, Record<string, unknown>> };
    const packages = lock.packages;
    if (!packages) throw new EditError('no "packages" (lockfile version 2 or 3 expected)');
    const manifest = appPackageJson(spec);
    const entry = { name: manifest['name'], version: manifest['version'], dependencies: manifest['dependencies'], devDependencies: manifest['devDependencies'] };
    const ordered = Object.entries(packages);
    const insert = (key: string, value: Record<string, unknown>): void => {
      // npm keeps the keys sorted after the root "" entry: put the new one where npm would.
      const at = ordered.findIndex(([existing]) => existing !== '' && existing.localeCompare(key, 'en') > 0);
      ordered.splice(at < 0 ? ordered.length : at, 0, [key, value]);
    };
    insert(`apps/${spec.name}`, entry);
    insert(`node_modules/@warren/${spec.name}`, { resolved: `apps/${spec.name}`, link: true });
    lock.packages = Object.fromEntries(ordered);
    return `${JSON.stringify(lock, null, 2)}\n`;
  });
}
