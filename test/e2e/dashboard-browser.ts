import { chromium, type Browser, type Page } from 'playwright-core';
import { bearer } from '@modelreg/testing';

/** Debian's Chromium, headless, with the flags this closed network needs (no background traffic). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Hands the dashboard the test reader token before its script runs, as its sign-in form would keep it. */
export async function signInAsReader(page: Page): Promise<void> {
  const token = bearer('reader').authorization.slice('Bearer '.length);
  // Runs in the browser (this file is compiled without DOM types).
  await page.addInitScript(
    (value) =>
      (globalThis as unknown as { sessionStorage: { setItem(key: string, value: string): void } }).sessionStorage.setItem(
        'modelreg-token',
        value,
      ),
    token,
  );
}
