/**
 * Ending a command-line process without cutting its last words. `process.exit()` drops whatever stdout and stderr
 * still hold when they are pipes (writes to a pipe are asynchronous once its 64 KiB buffer is full), so a long error
 * list ended mid-line. Each stream's callback runs once everything written before it has been handed to the OS.
 */

/** How long a reader that never reads may hold the exit: a process stuck at shutdown is worse than a cut message. */
const FLUSH_LIMIT_MS = 30_000;

export async function exitAfterFlush(code: number): Promise<never> {
  const flushed = Promise.all(
    [process.stdout, process.stderr].map((stream) => new Promise<void>((resolve) => stream.write('', () => resolve()))),
  );
  await Promise.race([flushed, new Promise<void>((resolve) => setTimeout(resolve, FLUSH_LIMIT_MS).unref())]);
  process.exit(code);
}
