import { run } from './run.ts';

// Exit through exitCode, not process.exit(), so piped output is flushed first.
process.exitCode = await run(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr });
