import type { FilePlan } from '../plan.ts';
import type { ServiceSpec } from '../spec.ts';
import { replaceOnce } from '../text-edit.ts';

/** The catalog of ports, wherever it is written out: architecture, README, .env.example. */
export async function planPortCatalog(plan: FilePlan, { name, port }: ServiceSpec): Promise<void> {
  await plan.edit('docs/architecture.md', (text) => replaceOnce(text, /^(\| ports \(env `PORT`\) \| [^|]*?)( \|)$/m, (_whole, list = '', end = '') => `${list}, ${name} ${port}${end}`, 'ports row'));
  await plan.edit('README.md', (text) => {
    const table = replaceOnce(text, /^(\| `PORT` \| [\d, ]*\d)( \|)/m, (_whole, list = '', end = '') => `${list}, ${port}${end}`, 'PORT setting row');
    return replaceOnce(table, /^(npm start\s+# [a-z0-9 :,-]*:\d+)$/m, (_whole, list = '') => `${list}, ${name} :${port}`, 'npm start comment');
  });
  await plan.edit('.env.example', (text) => replaceOnce(text, /^(# PORT=\d+\s+# [a-z0-9 ,-]*\d)(;)/m, (_whole, list = '', end = '') => `${list}, ${name} ${port}${end}`, 'PORT comment'));
}
