/**
 * Ending a command-line process without cutting its last words. `process.exit()` drops whatever stdout and stderr
 * still hold when they are pipes (writes to a pipe are asynchronous once its 64 KiB buffer is full), so a long error
 * list ended mid-line. Each stream's callback runs once everything written before it has been handed to the OS.
 */
export async function exitAfterFlush(code: number): Promise<never> {
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise<void>((resolve) => stream.write('', () => resolve()))));
  process.exit(code);
}
