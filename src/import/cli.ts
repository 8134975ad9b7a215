/** Entry point of `npm run import`; see command.ts for the arguments and exit codes. */
import { runImportCli } from './command.js';
import { progressFor } from './progress.js';

process.exitCode = await runImportCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
  progress: progressFor(process.stderr),
});
