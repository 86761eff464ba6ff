import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/**
 * Whether process `pid` holds the socket listening on TCP `port` of 127.0.0.1, read from Linux's
 * /proc; `undefined` where /proc cannot tell (another OS, or the process is gone).
 *
 * A port from freePort() is free only when asked: another test process can be handed the same
 * port and bind it first. Its service then answers our readiness probe, and a test talks to a
 * stranger (a CI run once got 401s for 30 s from another suite's projections service, which
 * trusted another issuer). Asking who listens rules that out.
 */
export function listensOn(pid: number, port: number): boolean | undefined {
  let table: string;
  let descriptors: string[];
  try {
    table = readFileSync('/proc/net/tcp', 'utf8');
    descriptors = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return undefined;
  }
  const wanted = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const inodes = new Set<string>();
  for (const line of table.split('\n').slice(1)) {
    const columns = line.trim().split(/\s+/);
    // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode; st 0A is LISTEN.
    if (columns[1] === wanted && columns[3] === '0A' && columns[9]) inodes.add(`socket:[${columns[9]}]`);
  }
  if (inodes.size === 0) return false;
  for (const descriptor of descriptors) {
    try {
      if (inodes.has(readlinkSync(`/proc/${pid}/fd/${descriptor}`))) return true;
    } catch {
      // closed since it was listed
    }
  }
  return false;
}
