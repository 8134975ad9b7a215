/** What the command-line tools (`npm run import`, `npm run migrate-store`) share about bad arguments. */

/** Exit code of a command given bad arguments. */
export const USAGE_EXIT = 2;

/** Prints the error and the usage on stderr and returns the exit code for bad arguments. */
export function usageError(err: (text: string) => void, usage: string, problem: unknown): number {
  err(`error: ${problem instanceof Error ? problem.message : String(problem)}\n\n${usage}`);
  return USAGE_EXIT;
}
