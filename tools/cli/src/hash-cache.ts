import { mkdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Remembers the sha256 of files already hashed, keyed by real path, size, modification time and
 * inode, so a retried `modelreg register` does not read gigabytes again. A changed file misses.
 */
export class HashCache {
  private entries: Record<string, string>;

  constructor(private readonly file: string) {
    try {
      this.entries = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    } catch {
      this.entries = {};
    }
  }

  static inDirectory(dir: string): HashCache {
    return new HashCache(join(dir, 'sha256-cache.json'));
  }

  get(path: string): string | null {
    return this.entries[identity(path)] ?? null;
  }

  set(path: string, sha256: string): void {
    this.entries[identity(path)] = sha256;
    const keys = Object.keys(this.entries);
    for (const stale of keys.slice(0, Math.max(0, keys.length - 1000))) delete this.entries[stale];
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      writeFileSync(this.file, JSON.stringify(this.entries));
    } catch {
      // A cache that cannot be written only costs a re-hash next time.
    }
  }
}

function identity(path: string): string {
  const stat = statSync(path);
  return `${realpathSync(path)}|${stat.size}|${stat.mtimeMs}|${stat.ino}`;
}
