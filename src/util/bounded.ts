/**
 * Shutdown waits on work that talks to Discord or to worker threads, which may hang; a process manager's stop
 * timeout must not be spent there. Real time on purpose: it bounds a real wait, whatever the injected clock says.
 */
export async function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms).unref()));
  try {
    return await Promise.race([work.then(() => true, () => true), late]);
  } finally {
    clearTimeout(timer);
  }
}
