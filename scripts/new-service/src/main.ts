// `npm run new:service -- <name> [--consumes <routing key>...] [--publishes <event type>]`:
// generates a service into the repository this file belongs to. See the README, "Add a service".
import { fileURLToPath } from 'node:url';
import { generateService } from './generate.ts';
import { parseOptions, usage, UsageError } from './options.ts';
import { RefusalError } from './repository.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));

try {
  const options = parseOptions(process.argv.slice(2));
  if (options.help) {
    console.log(usage);
    process.exit(0);
  }
  const { spec, created, changed } = await generateService(root, options);
  const verb = options.dryRun ? 'would create' : 'created';
  console.log(`${verb} ${created.length} files and ${options.dryRun ? 'would change' : 'changed'} ${changed.length} for the service ${spec.name} (port ${spec.port}, publishes ${spec.event.routingKey}, consumes ${spec.consumes.map((consumed) => consumed.routingKey).join(', ')})`);
  for (const path of created) console.log(`  + ${path}`);
  for (const path of changed) console.log(`  ~ ${path}`);
  if (!options.dryRun) console.log(`next: npm test -w apps/${spec.name}, then see the README, "Add a service", for what to edit`);
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`new:service: ${error.message} (npm run new:service -- --help)`);
    process.exit(2);
  }
  if (error instanceof RefusalError) {
    console.error(`new:service: ${error.message}`);
    process.exit(1);
  }
  console.error(`new:service: nothing was written: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
