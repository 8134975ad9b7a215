/**
 * vitest globalSetup: unpacks the headless Chromium shipped inside the npm package @sparticuz/chromium once per
 * machine, into a private folder named by its version (the package unpacks into the OS temp folder, so TMPDIR
 * points it there), and hands its path, arguments and environment to the browser tests. No download: the binary
 * is in the package. `--single-process` is dropped: Chromium crashes in it under playwright.
 */
import { mkdirSync, readFileSync } from 'node:fs';
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
  const before = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  try {
    const { default: chromium } = await import('@sparticuz/chromium');
    const executablePath = await chromium.executablePath();
    const env: Record<string, string> = {};
    for (const k of ['LD_LIBRARY_PATH', 'FONTCONFIG_PATH']) if (process.env[k]) env[k] = process.env[k]!;
    project.provide('chromium', { executablePath, args: chromium.args.filter((a) => a !== '--single-process'), env: { ...env, HOME: dir } });
  } finally {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
  }
}
