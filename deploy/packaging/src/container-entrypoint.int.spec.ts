import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { createTestEnvironment, type TestEnvironment } from '@modelreg/testing';
import { REPO_ROOT } from './packaging-tools';

const ENTRYPOINT = join(REPO_ROOT, 'deploy/container/entrypoint.js');

describe('container entry point (compiled code, as in the image)', () => {
  let environment: TestEnvironment;

  beforeAll(async () => {
    execFileSync(process.execPath, [join(REPO_ROOT, 'tools/build.js')], { stdio: 'ignore' });
    environment = await createTestEnvironment('entrypoint');
  });

  afterAll(() => environment?.dispose());

  const run = (...args: string[]) =>
    spawnSync(process.execPath, [ENTRYPOINT, ...args], {
      encoding: 'utf8',
      env: { PATH: process.env['PATH'], DATABASE_URL: environment.databaseUrl },
    });

  it('`migrate` creates every service schema once, and a second run applies nothing', async () => {
    const first = run('migrate');
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('"applied":["runtime/1"');
    const client = new Client({ connectionString: environment.databaseUrl });
    await client.connect();
    try {
      const schemas = await client.query(
        `SELECT table_schema, count(*)::int AS migrations FROM information_schema.tables ` +
          `WHERE table_name = 'schema_migrations' GROUP BY table_schema ORDER BY table_schema`,
      );
      expect(schemas.rows.map((row) => row.table_schema)).toEqual(['deployments', 'gates', 'ingestion', 'projections']);
      const applied = await client.query('SELECT count(*)::int AS n FROM ingestion.schema_migrations');
      const second = run('migrate');
      expect(second.status).toBe(0);
      const lines = second.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { msg: string; service: string; applied: string[] });
      expect(lines).toHaveLength(4);
      expect(lines.map((line) => line.service)).toEqual(['ingestion', 'gate-validator', 'deployment-tracker', 'projections']);
      for (const line of lines) expect(line).toMatchObject({ msg: 'migrated', applied: [] });
      expect((await client.query('SELECT count(*)::int AS n FROM ingestion.schema_migrations')).rows[0]).toEqual(applied.rows[0]);
    } finally {
      await client.end();
    }
  });

  it('names the commands it knows when given another', () => {
    const result = run('billing');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('usage: entrypoint.js <ingestion|gate-validator|deployment-tracker|projections|migrate>');
  });

  it('fails the migration with the setting at fault when the database URL is missing', () => {
    const result = spawnSync(process.execPath, [ENTRYPOINT, 'migrate'], { encoding: 'utf8', env: { PATH: process.env['PATH'] } });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('DATABASE_URL environment variable is not defined');
  });
});
