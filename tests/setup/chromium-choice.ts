/**
 * Which Chromium the browser tests drive: `CHROMIUM_PATH` when set (an operator's own browser); otherwise the one
 * inside the npm package @sparticuz/chromium; where that package has no binary for the machine (it ships Linux
 * x64 and arm64 only) or cannot unpack it, a distribution's Chromium (Debian's `chromium`) when installed.
 * Pure, so the order is tested without either browser.
 */
export interface ChromiumChoice {
  executablePath: string;
  args: string[];
  source: 'CHROMIUM_PATH' | '@sparticuz/chromium' | 'system';
}

/** Where distributions install Chromium (Debian and Ubuntu's package, then the older name). */
export const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** A system browser run as root needs no sandbox (the tests load only pages of their own bot on 127.0.0.1). */
const SYSTEM_ARGS = ['--no-sandbox', '--disable-dev-shm-usage'];

export async function chooseChromium(
  env: Record<string, string | undefined>,
  exists: (path: string) => boolean,
  packaged: () => Promise<{ executablePath: string; args: string[] }>,
): Promise<ChromiumChoice> {
  const own = env.CHROMIUM_PATH;
  if (own) {
    if (!exists(own)) throw new Error(`CHROMIUM_PATH is ${own}, and there is no file there. Point it at a Chromium binary, or unset it to use the one in @sparticuz/chromium.`);
    return { executablePath: own, args: SYSTEM_ARGS, source: 'CHROMIUM_PATH' };
  }
  try {
    return { ...(await packaged()), source: '@sparticuz/chromium' };
  } catch (error) {
    const system = SYSTEM_CHROMIUM.find(exists);
    if (system) return { executablePath: system, args: SYSTEM_ARGS, source: 'system' };
    throw new Error(
      `No Chromium for the browser tests: @sparticuz/chromium could not provide one (${(error as Error).message}), and none is installed at ${SYSTEM_CHROMIUM.join(' or ')}. Install Debian's chromium, or set CHROMIUM_PATH.`,
    );
  }
}
