/**
 * vitest globalSetup: unpacks the headless Chromium shipped inside the npm package @sparticuz/chromium once per
 * machine, into a private folder named by its version (the package unpacks into the OS temp folder, so TMPDIR
 * points it there), and hands its path, arguments and environment to the browser tests. No download: the binary
 * is in the package. `--single-process` is dropped: Chromium crashes in it under playwright. `CHROMIUM_PATH`, or
 * a system Chromium where the package has none for the machine, takes its place (./chromium-choice.ts).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { chooseChromium } from './chromium-choice.js';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { TestProject } from 'vitest/node';

export interface ChromiumForTests {
  executablePath: string;
  args: string[];
  env: Record<string, string>;
}

declare module 'vitest' {
  export interface ProvidedContext {
    chromium: ChromiumForTests;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  // The package does not export its package.json: read it beside its entry point.
  const entry = createRequire(import.meta.url).resolve('@sparticuz/chromium');
  const { version } = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string };
  const dir = join('/tmp', `unicornia-chromium-${version}`);
  mkdirSync(dir, { recursive: true });
  const packaged = async () => {
    const before = process.env.TMPDIR;
    process.env.TMPDIR = dir;
    try {
      const { default: chromium } = await import('@sparticuz/chromium');
      return { executablePath: await chromium.executablePath(), args: chromium.args.filter((a) => a !== '--single-process') };
    } finally {
      if (before === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = before;
    }
  };
  const choice = await chooseChromium(process.env, existsSync, packaged);
  // The packaged binary finds its own libraries and fonts through the variables its unpacking set.
  const env: Record<string, string> = { HOME: dir };
  if (choice.source === '@sparticuz/chromium') for (const k of ['LD_LIBRARY_PATH', 'FONTCONFIG_PATH']) if (process.env[k]) env[k] = process.env[k]!;
  project.provide('chromium', { executablePath: choice.executablePath, args: choice.args, env });
}
