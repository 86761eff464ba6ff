import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/**
 * The dashboard's browser test drives Debian's Chromium (no browser download): installed here
 * with apt-get when missing and running as root, as on CI; otherwise a clear instruction.
 */
export function ensureChromium(path: string, log: (line: string) => void): void {
  if (existsSync(path)) return;
  if (process.getuid?.() !== 0)
    throw new Error(
      `Chromium not found at ${path}: install Debian's chromium package (sudo apt-get install chromium) or set CHROMIUM_PATH`,
    );
  log(`installing Debian's chromium for the browser test...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env });
  if (!existsSync(path)) throw new Error(`apt-get installed chromium but ${path} does not exist`);
}
