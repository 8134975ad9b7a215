/** Entry point of `npm run migrate-store`; see command.ts for the arguments and exit codes. */
import { progressFor } from '../../import/progress.js';
import { runMigrateStoreCli } from './command.js';

process.exitCode = await runMigrateStoreCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
  progress: progressFor(process.stderr),
});
