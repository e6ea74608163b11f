import { loadToolEnvironment } from '@warren/service/environment';
import { run } from './run.ts';

// The repository's `.env` fills in what the environment does not set, as for the services.
loadToolEnvironment();

// Exit through exitCode, not process.exit(), so piped output is flushed first.
process.exitCode = await run(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr });
