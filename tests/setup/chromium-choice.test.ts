/** The order in which the browser tests find a Chromium (tests/setup/chromium-choice.ts). */
import { describe, expect, it } from 'vitest';
import { chooseChromium, SYSTEM_CHROMIUM } from './chromium-choice.js';

const packaged = async () => ({ executablePath: '/tmp/unicornia-chromium-153/chromium', args: ['--headless=shell'] });
const noPackage = async (): Promise<never> => {
  throw new Error('no binary for arm');
};

describe('choosing the Chromium of the browser tests', () => {
  it('given nothing set then the packaged binary; given CHROMIUM_PATH then that one, refused when missing', async () => {
    expect(await chooseChromium({}, () => true, packaged)).toEqual({ executablePath: '/tmp/unicornia-chromium-153/chromium', args: ['--headless=shell'], source: '@sparticuz/chromium' });
    expect(await chooseChromium({ CHROMIUM_PATH: '/opt/chrome' }, (p) => p === '/opt/chrome', noPackage)).toMatchObject({ executablePath: '/opt/chrome', source: 'CHROMIUM_PATH' });
    await expect(chooseChromium({ CHROMIUM_PATH: '/opt/none' }, () => false, packaged)).rejects.toThrow('CHROMIUM_PATH is /opt/none, and there is no file there');
  });

  it("given no packaged binary then Debian's chromium where installed, else a message naming both ways out", async () => {
    expect(await chooseChromium({}, (p) => p === SYSTEM_CHROMIUM[1], noPackage)).toEqual({ executablePath: '/usr/bin/chromium-browser', args: ['--no-sandbox', '--disable-dev-shm-usage'], source: 'system' });
    await expect(chooseChromium({}, () => false, noPackage)).rejects.toThrow(/no binary for arm.*Install Debian's chromium, or set CHROMIUM_PATH/);
  });
});
